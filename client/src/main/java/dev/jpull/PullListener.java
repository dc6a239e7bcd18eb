package dev.jpull;

/**
 * Observability of a pull: the library reports events here instead of logging. All methods have empty defaults.
 * Implementations must be thread-safe: blob events may arrive from several threads, and one listener given to
 * {@link Jpull.Builder#listener} serves every pull of that {@link Jpull}, concurrent ones too.
 *
 * <p>The library calls the methods whose first argument is the {@link PullContext} of the pull the event belongs
 * to: {@link #pullStarted} first, {@link #pullFinished} or {@link #pullFailed} last, the others in between. Each
 * of them forwards by default to the same method without the context, so a listener that serves one pull at a
 * time may override those instead. Configuration warnings found while resolving the plan, before any pull has
 * started, go to {@link #warning(String)} only.
 *
 * <p>String arguments other than the {@link Attempt}'s escaped fields are the server's values as they are (media
 * types, rate-limit headers): pass them through {@link dev.jpull.Printable#escape} before printing them.
 */
public interface PullListener {
    PullListener NONE = new PullListener() { };

    /** A pull has started; every later event of it carries {@code pull}. */
    default void pullStarted(PullContext pull) { }

    /** The pull succeeded; its last event. */
    default void pullFinished(PullContext pull, PullResult result) { }

    /** The pull failed with {@code error} (thrown to the caller next); its last event. */
    default void pullFailed(PullContext pull, RuntimeException error) { }

    /** A request of {@code pull} failed on an endpoint ({@link #attemptFailed(Attempt)}). */
    default void attemptFailed(PullContext pull, Attempt attempt) {
        attemptFailed(attempt);
    }

    /** A request of {@code pull} succeeded after at least one failure ({@link #recovered(Attempt)}). */
    default void recovered(PullContext pull, Attempt attempt) {
        recovered(attempt);
    }

    /** A manifest of {@code pull} was received ({@link #manifestResolved(String, String, String, String)}). */
    default void manifestResolved(PullContext pull, String ref, String digest, String mediaType, String endpoint) {
        manifestResolved(ref, digest, mediaType, endpoint);
    }

    /** A blob download of {@code pull} is starting ({@link #blobStarted(String, long, String)}). */
    default void blobStarted(PullContext pull, String digest, long size, String endpoint) {
        blobStarted(digest, size, endpoint);
    }

    /** Bytes of a blob of {@code pull} have arrived ({@link #blobProgress(String, long, long, String)}). */
    default void blobProgress(PullContext pull, String digest, long received, long size, String endpoint) {
        blobProgress(digest, received, size, endpoint);
    }

    /** A blob download of {@code pull} continues a partial ({@link #blobResumed(String, long, long)}). */
    default void blobResumed(PullContext pull, String digest, long offset, long size) {
        blobResumed(digest, offset, size);
    }

    /** A blob of {@code pull} is complete and verified ({@link #blobDone(BlobResult)}). */
    default void blobDone(PullContext pull, BlobResult blob) {
        blobDone(blob);
    }

    /** A request of {@code pull} got rate-limit headers ({@link #rateLimit(String, String, String)}). */
    default void rateLimit(PullContext pull, String endpoint, String limit, String remaining) {
        rateLimit(endpoint, limit, remaining);
    }

    /** A non-fatal warning about {@code pull} ({@link #warning(String)}). */
    default void warning(PullContext pull, String message) {
        warning(message);
    }

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

    /**
     * A blob download continues where an earlier run (Ctrl-C, {@code kill}, a failed pull) left it: the
     * destination already held {@code offset} of its {@code size} bytes, so the first request asks for the rest.
     * Sent once per blob, before that request.
     */
    default void blobResumed(String digest, long offset, long size) { }

    /** A blob is complete and verified; {@code cached} when it was already in the store. */
    default void blobDone(BlobResult blob) { }

    /** An endpoint reported Docker Hub style rate-limit headers ({@code ratelimit-limit}, {@code ratelimit-remaining}). */
    default void rateLimit(String endpoint, String limit, String remaining) { }

    /** A non-fatal warning (e.g. unknown configuration key, or a bad blob in the store of a pull). */
    default void warning(String message) { }
}
