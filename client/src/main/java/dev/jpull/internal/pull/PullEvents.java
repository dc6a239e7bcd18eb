package dev.jpull.internal.pull;

import dev.jpull.Attempt;
import dev.jpull.BlobResult;
import dev.jpull.ImageReference;
import dev.jpull.PullContext;
import dev.jpull.PullListener;
import dev.jpull.PullResult;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The listener of one pull: the pull's parts (executor, exchange, blob downloads) report context-free events to
 * it, and it forwards each to the {@link dev.jpull.Jpull}'s listener with this pull's {@link PullContext}, so a
 * listener shared by concurrent pulls can tell them apart. {@link #run} brackets the pull with
 * {@code pullStarted} and {@code pullFinished}/{@code pullFailed}.
 */
public final class PullEvents implements PullListener {
    private static final AtomicLong IDS = new AtomicLong();

    private final PullListener listener;
    private final PullContext pull;

    private PullEvents(PullListener listener, PullContext pull) {
        this.listener = listener;
        this.pull = pull;
    }

    /** The events of a new pull of {@code reference}, with the next id of the process. */
    public static PullEvents of(PullListener listener, ImageReference reference) {
        return new PullEvents(listener, new PullContext(IDS.incrementAndGet(), reference, Instant.now()));
    }

    /** Runs {@code pull} between {@code pullStarted} and {@code pullFinished} (or {@code pullFailed}). */
    public PullResult run(Supplier<PullResult> body) {
        listener.pullStarted(pull);
        PullResult result;
        try {
            result = body.get();
        } catch (RuntimeException e) {
            listener.pullFailed(pull, e);
            throw e;
        }
        listener.pullFinished(pull, result);
        return result;
    }

    @Override
    public void attemptFailed(Attempt attempt) {
        listener.attemptFailed(pull, attempt);
    }

    @Override
    public void recovered(Attempt attempt) {
        listener.recovered(pull, attempt);
    }

    @Override
    public void manifestResolved(String ref, String digest, String mediaType, String endpoint) {
        listener.manifestResolved(pull, ref, digest, mediaType, endpoint);
    }

    @Override
    public void blobStarted(String digest, long size, String endpoint) {
        listener.blobStarted(pull, digest, size, endpoint);
    }

    @Override
    public void blobProgress(String digest, long received, long size, String endpoint) {
        listener.blobProgress(pull, digest, received, size, endpoint);
    }

    @Override
    public void blobResumed(String digest, long offset, long size) {
        listener.blobResumed(pull, digest, offset, size);
    }

    @Override
    public void blobDone(BlobResult blob) {
        listener.blobDone(pull, blob);
    }

    @Override
    public void rateLimit(String endpoint, String limit, String remaining) {
        listener.rateLimit(pull, endpoint, limit, remaining);
    }

    @Override
    public void warning(String message) {
        listener.warning(pull, message);
    }
}
