package dev.jpull.internal.serve;

import dev.jpull.EndpointPlan;
import dev.jpull.internal.pull.ObjectFetcher;
import dev.jpull.internal.store.OciDestination;
import dev.jpull.spi.BlobDescriptor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The upstream downloads of the mirror: one per blob, however many clients ask for it ({@link #join}), at most
 * {@code max} at a time (the others queue). A download goes into the store through {@link FeedDestination} and
 * carries on when the clients that asked for it go away: the store keeps it for the next one. A failed download
 * is forgotten, so the next request for the blob starts a new one (whose endpoint order has learnt from the
 * failure).
 */
final class Downloads {
    private final ObjectFetcher fetcher;
    private final OciDestination store;
    private final ServeMetrics metrics;
    private final Map<String, Feed> running = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor pool;
    private final AtomicInteger inFlight = new AtomicInteger();

    Downloads(ObjectFetcher fetcher, OciDestination store, ServeMetrics metrics, int max) {
        this.fetcher = fetcher;
        this.store = store;
        this.metrics = metrics;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(max, max, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "jpull-serve-download-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    /** The running download of {@code blob}, started now if there is none (or the last one failed). */
    Feed join(EndpointPlan plan, BlobDescriptor blob) {
        return running.compute(blob.digest(), (digest, feed) -> feed != null && !feed.failed() ? feed
                : start(plan, blob));
    }

    private Feed start(EndpointPlan plan, BlobDescriptor blob) {
        Feed feed = new Feed(blob);
        pool.execute(() -> {
            inFlight.incrementAndGet();
            try {
                var fetched = fetcher.blob(plan, blob, new FeedDestination(store, feed));
                metrics.served(fetched.attempts(), fetched.endpoint());
                feed.committed(fetched.endpoint());
            } catch (dev.jpull.PullFailedException e) {
                metrics.attempts(e.attempts());
                feed.failed(e);
            } catch (RuntimeException e) {
                feed.failed(e);
            } finally {
                inFlight.decrementAndGet();
                running.remove(blob.digest(), feed);
            }
        });
        return feed;
    }

    /** Downloads running now. */
    int inFlight() {
        return inFlight.get();
    }

    /**
     * Stops starting downloads; waits up to {@code graceMillis} for the running ones, then interrupts them (their
     * partial files stay in the store's {@code ingest/} for the next run to resume).
     */
    void shutdown(long graceMillis) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(graceMillis, TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
                pool.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
