package dev.jpull.internal.pull;

import dev.jpull.BlobResult;
import dev.jpull.FailoverPolicy;
import dev.jpull.JpullException;
import dev.jpull.PullListener;
import dev.jpull.Target;
import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.registry.Exchange;
import dev.jpull.internal.registry.GetBlob;
import dev.jpull.internal.registry.RegistryExecutor;
import dev.jpull.internal.registry.RegistryExecutor.Served;
import dev.jpull.internal.store.BlobCheck;
import dev.jpull.internal.store.BlobLock;
import dev.jpull.internal.store.OciStore;
import dev.jpull.internal.store.PartialBlob;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Downloads the blobs of one image, several at a time, each with its own failover. A blob enters the store only
 * after its size and digest are verified; blobs already in the store are not downloaded again when their size is
 * right (and, on request, their content).
 *
 * <p>Each blob is downloaded under its store-wide {@link BlobLock} into its {@link PartialBlob}
 * ({@code ingest/sha256-<hex>.partial}), which outlives failed attempts and interrupted processes: a body cut
 * half way continues with a {@code Range} request on the next endpoint (or on the same one when it is tried
 * again), and a pull run again after Ctrl-C or {@code kill -9} continues each partial where it stopped. A thread
 * or process that finds the lock taken waits, then usually finds the blob committed and reports it cached.
 */
final class BlobDownloader {
    private final Exchange exchange;
    private final OciStore store;
    private final RegistryExecutor executor;
    private final PullListener listener;
    private final AtomicLong received;
    private final int concurrency;
    private final boolean verifyCached;

    BlobDownloader(Exchange exchange, OciStore store, RegistryExecutor executor, PullListener listener,
                   AtomicLong received, int concurrency, boolean verifyCached) {
        this.verifyCached = verifyCached;
        this.exchange = exchange;
        this.store = store;
        this.executor = executor;
        this.listener = listener;
        this.received = received;
        this.concurrency = Math.max(1, concurrency);
    }

    /** Results in the order of {@code blobs} (duplicates are fetched once and reported once). */
    List<BlobResult> downloadAll(List<Descriptor> blobs) {
        Map<String, Descriptor> unique = new LinkedHashMap<>();
        blobs.forEach(d -> unique.putIfAbsent(d.digest(), d));
        if (unique.size() == 1 || concurrency == 1) {
            List<BlobResult> out = new ArrayList<>();
            for (Descriptor d : unique.values()) {
                out.add(download(d));
            }
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, unique.size()), r -> {
            Thread t = new Thread(r, "jpull-blob");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<BlobResult>> futures = new ArrayList<>();
            for (Descriptor d : unique.values()) {
                futures.add(pool.submit(() -> download(d)));
            }
            List<BlobResult> out = new ArrayList<>();
            for (Future<BlobResult> f : futures) {
                out.add(await(f));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static BlobResult await(Future<BlobResult> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof JpullException je) {
                throw je;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        }
    }

    /**
     * A stored blob counts as cached when its size is the descriptor's (and, with {@code verifyCached}, it hashes to
     * its digest); a bad one is removed under the blob's lock, with a warning, and downloaded again.
     */
    private BlobResult download(Descriptor d) {
        if (!verifyCached && store.check(d.digest(), d.size(), false).ok()) {
            return cached(d);
        }
        try (BlobLock lock = store.lockBlob(d.digest())) {
            BlobCheck stored = store.check(d.digest(), d.size(), verifyCached);
            if (stored.ok()) {
                return cached(d); // another thread or process committed it while we waited for the lock
            }
            if (stored.bad()) {
                listener.warning("blob " + d.digest() + " in the store " + stored.problem()
                        + ": removed, downloading it again");
                store.removeBlob(d.digest());
            }
            PartialBlob partial = store.openPartial(d.digest(), d.size());
            try {
                if (partial.verified()) {
                    store.commit(partial, lock); // an interrupted run downloaded it all but did not commit
                    return cached(d);
                }
                Served<Long> served = fetch(d, partial);
                store.commit(partial, lock);
                BlobResult done = new BlobResult(d.digest(), d.size(), d.mediaType(), served.endpoint().baseUrl(),
                        false);
                listener.blobDone(done);
                return done;
            } finally {
                closeQuietly(partial);
            }
        }
    }

    /**
     * Runs the blob's request through the executor; when every endpoint failed but the partial grew (bodies cut
     * or stalled half way), or a resumed prefix turned out wrong, the executor goes round again from where the
     * partial stands, as far as the {@link dev.jpull.FailoverPolicy#resumeAgain policy} allows.
     */
    private Served<Long> fetch(Descriptor d, PartialBlob partial) {
        return executor.executeResuming(Target.blob(d.digest()), endpoint -> {
            listener.blobStarted(d.digest(), d.size(), endpoint.baseUrl());
            return new GetBlob(exchange, partial, received, listener, executor.policy()).run(endpoint);
        }, () -> new FailoverPolicy.ResumePoint(partial.offset(), partial.rejectedPrefixes()));
    }

    private BlobResult cached(Descriptor d) {
        BlobResult cached = new BlobResult(d.digest(), d.size(), d.mediaType(), null, true);
        listener.blobDone(cached);
        return cached;
    }

    private static void closeQuietly(PartialBlob partial) {
        try {
            partial.close();
        } catch (IOException ignored) {
            // the partial stays in ingest/ for the next run; closing a read/write channel cannot lose data
        }
    }
}
