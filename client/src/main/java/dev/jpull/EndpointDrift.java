package dev.jpull;

import java.util.List;

/**
 * One endpoint's answer for the reference, compared with the registry's ({@link MirrorDrift}).
 *
 * @param baseUrl      the endpoint ({@link Endpoint#baseUrl()})
 * @param digest       the digest it serves for the reference, null when it serves none
 * @param drift        how that compares with the registry itself
 * @param detail       one line saying why (server text escaped, {@link Printable})
 * @param missingBlobs the registry's manifests and blobs it answered 404 for (with {@link Drift#MISSING_BLOBS})
 */
public record EndpointDrift(String baseUrl, String digest, Drift drift, String detail, List<String> missingBlobs) {
    public EndpointDrift {
        detail = Printable.escape(detail);
        missingBlobs = List.copyOf(missingBlobs);
    }
}
