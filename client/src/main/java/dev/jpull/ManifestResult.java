package dev.jpull;


/**
 * {@code HEAD} of the image's manifest on the endpoint (authenticated when challenged); on failure a {@code GET}
 * reads the registry's error code.
 *
 * @param url       the URL requested
 * @param status    HTTP status, 0 when there was no HTTP answer
 * @param digest    {@code Docker-Content-Digest}, or null
 * @param mediaType {@code Content-Type}, or null
 * @param errorCode first registry error code ({@code MANIFEST_UNKNOWN}, {@code NAME_UNKNOWN}...), or null
 * @param error     registry error message or I/O failure, or null (control characters of both escaped,
 *                  {@link Printable})
 * @param ms        round trip of the HEAD
 */
public record ManifestResult(String url, int status, String digest, String mediaType, String errorCode,
                             String error, long ms) {
    public ManifestResult {
        errorCode = Printable.escape(errorCode);
        error = Printable.escape(error);
    }
}
