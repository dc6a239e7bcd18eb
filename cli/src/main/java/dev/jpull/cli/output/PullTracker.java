package dev.jpull.cli.output;

import dev.jpull.Attempt;
import dev.jpull.BlobResult;
import dev.jpull.PullListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps what the CLI must be able to say about a pull that did not finish, in front of the listener that prints
 * (progress and trace, or nothing with {@code -q}): every attempt (the JSON of a failed pull lists them), and the
 * bytes of every blob started but not done (what an interrupted pull leaves for the next run to resume). Every
 * event is passed on to {@code next}. Thread-safe.
 */
public final class PullTracker implements PullListener {
    private final PullListener next;
    private final List<Attempt> attempts = new ArrayList<>();
    private final Map<String, Long> unfinished = new LinkedHashMap<>();
    private final Map<String, Long> resumed = new LinkedHashMap<>();

    public PullTracker(PullListener next) {
        this.next = next;
    }

    /** Bytes held of the blobs started but not finished, and how many such blobs there are. */
    public record Kept(long bytes, int blobs) {
    }

    /** Every attempt reported so far (failures and recoveries), in the order they were reported. */
    public synchronized List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    /** Digest → bytes an earlier run had kept, for each blob whose download continued them. */
    public synchronized Map<String, Long> resumedAt() {
        return Map.copyOf(resumed);
    }

    /** Digest → bytes received so far (as the last event told), for each blob started and not done. */
    public synchronized Map<String, Long> unfinished() {
        return new LinkedHashMap<>(unfinished);
    }

    /** What the unfinished blobs hold now, as far as the last events tell. */
    public synchronized Kept kept() {
        long bytes = 0;
        int blobs = 0;
        for (long b : unfinished.values()) {
            if (b > 0) {
                bytes += b;
                blobs++;
            }
        }
        return new Kept(bytes, blobs);
    }

    @Override
    public void attemptFailed(Attempt attempt) {
        synchronized (this) {
            attempts.add(attempt);
        }
        next.attemptFailed(attempt);
    }

    @Override
    public void recovered(Attempt attempt) {
        synchronized (this) {
            attempts.add(attempt);
        }
        next.recovered(attempt);
    }

    @Override
    public void manifestResolved(String ref, String digest, String mediaType, String endpoint) {
        next.manifestResolved(ref, digest, mediaType, endpoint);
    }

    @Override
    public void blobStarted(String digest, long size, String endpoint) {
        synchronized (this) {
            unfinished.putIfAbsent(digest, 0L);
        }
        next.blobStarted(digest, size, endpoint);
    }

    @Override
    public void blobProgress(String digest, long received, long size, String endpoint) {
        synchronized (this) {
            unfinished.put(digest, received);
        }
        next.blobProgress(digest, received, size, endpoint);
    }

    @Override
    public void blobResumed(String digest, long offset, long size) {
        synchronized (this) {
            resumed.put(digest, offset);
            unfinished.put(digest, offset);
        }
        next.blobResumed(digest, offset, size);
    }

    @Override
    public void blobDone(BlobResult blob) {
        synchronized (this) {
            unfinished.remove(blob.digest());
        }
        next.blobDone(blob);
    }

    @Override
    public void rateLimit(String endpoint, String limit, String remaining) {
        next.rateLimit(endpoint, limit, remaining);
    }

    @Override
    public void warning(String message) {
        next.warning(message);
    }
}
