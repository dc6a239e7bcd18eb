package dev.jpull;

/**
 * Observability of a pull: the library reports events here instead of logging. All methods have empty defaults.
 * Implementations must be thread-safe: blob events may arrive from several threads. String arguments other than
 * the {@link Attempt}'s escaped fields are the server's values as they are (media types, rate-limit headers): pass
 * them through {@link dev.jpull.Printable#escape} before printing them.
 */
public interface PullListener {
    PullListener NONE = new PullListener() { };

    /** A request against an endpoint failed (it will be retried elsewhere if another endpoint is left). */
    default void attemptFailed(Attempt attempt) { }

    /** A request succeeded after at least one failure. */
    default void recovered(Attempt attempt) { }

    /** The manifest for {@code ref} came from {@code endpoint}. */
    default void manifestResolved(String ref, String digest, String mediaType, String endpoint) { }

    /** A blob download is starting on {@code endpoint}. */
    default void blobStarted(String digest, long size, String endpoint) { }

    /**
     * Bytes of a blob have arrived from {@code endpoint}: {@code received} of {@code size} bytes are now held
     * (counting bytes kept from earlier attempts when the download resumed). Throttled per blob download: sent
     * when 100 ms have passed or 1 MiB has arrived since the previous event, and once when the body is complete.
     */
    default void blobProgress(String digest, long received, long size, String endpoint) { }

    /** A blob is complete and verified; {@code cached} when it was already in the store. */
    default void blobDone(BlobResult blob) { }

    /** An endpoint reported Docker Hub style rate-limit headers ({@code ratelimit-limit}, {@code ratelimit-remaining}). */
    default void rateLimit(String endpoint, String limit, String remaining) { }

    /** A non-fatal warning (e.g. unknown configuration key). */
    default void warning(String message) { }
}
