package dev.jpull.pull;

import dev.jpull.BlobResult;
import dev.jpull.JpullException;
import dev.jpull.PullListener;
import dev.jpull.oci.Descriptor;
import dev.jpull.registry.Exchange;
import dev.jpull.registry.GetBlob;
import dev.jpull.registry.RegistryExecutor;
import dev.jpull.store.OciStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * after its size and digest are verified; blobs already in the store are not downloaded again.
 */
final class BlobDownloader {
    private final Exchange exchange;
    private final OciStore store;
    private final RegistryExecutor executor;
    private final PullListener listener;
    private final AtomicLong received;
    private final int concurrency;

    BlobDownloader(Exchange exchange, OciStore store, RegistryExecutor executor, PullListener listener,
                   AtomicLong received, int concurrency) {
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

    private BlobResult download(Descriptor d) {
        if (store.hasBlob(d.digest())) {
            BlobResult cached = new BlobResult(d.digest(), d.size(), d.mediaType(), null, true);
            listener.blobDone(cached);
            return cached;
        }
        Path temp = store.createTemp(d.digest());
        try {
            var served = executor.execute("blob " + d.digest(), endpoint -> {
                listener.blobStarted(d.digest(), d.size(), endpoint.baseUrl());
                return new GetBlob(exchange, d, temp, received).run(endpoint);
            });
            store.commit(temp, d.digest());
            BlobResult done = new BlobResult(d.digest(), d.size(), d.mediaType(), served.endpoint().baseUrl(), false);
            listener.blobDone(done);
            return done;
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // best effort; a leftover staging file is never mistaken for a blob
            }
        }
    }
}
