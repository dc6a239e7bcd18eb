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
import dev.jpull.internal.registry.ResumableBlob;
import dev.jpull.spi.BlobDescriptor;
import dev.jpull.spi.BlobStatus;
import dev.jpull.spi.BlobWriter;
import dev.jpull.spi.Destination;
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
 * Downloads the blobs of one image, several at a time, each with its own failover, into the pull's
 * {@link Destination} (nothing else: the OCI store, containerd or a mirror are all reached through it). A blob is
 * committed only after its size and digest are verified; blobs already in the destination are not downloaded
 * again when their size is right (and, on request, their content).
 *
 * <p>Each blob is downloaded through its exclusive {@link BlobWriter}, which outlives failed attempts and (in the
 * OCI store: {@code ingest/sha256-<hex>.partial}) interrupted processes: a body cut half way continues with a
 * {@code Range} request at the writer's offset on the next endpoint (or on the same one when it is tried again),
 * and a pull run again after Ctrl-C or {@code kill -9} continues each partial where it stopped. A thread or
 * process that finds the writer taken waits, then usually finds the blob committed and reports it cached.
 */
final class BlobDownloader {
    private final Exchange exchange;
    private final Destination destination;
    private final RegistryExecutor executor;
    private final PullListener listener;
    private final AtomicLong received;
    private final int concurrency;
    private final boolean verifyCached;

    BlobDownloader(Exchange exchange, Destination destination, RegistryExecutor executor, PullListener listener,
                   AtomicLong received, int concurrency, boolean verifyCached) {
        this.verifyCached = verifyCached;
        this.exchange = exchange;
        this.destination = destination;
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
            // largest first: the biggest layer starts at once on the connection the manifest left open (no
            // connect round trip on the critical path), the tiny config opens another one meanwhile
            List<Descriptor> bySize = new ArrayList<>(unique.values());
            bySize.sort((a, b) -> Long.compare(b.size(), a.size()));
            Map<String, Future<BlobResult>> futures = new LinkedHashMap<>();
            for (Descriptor d : bySize) {
                futures.put(d.digest(), pool.submit(() -> download(d)));
            }
            List<BlobResult> out = new ArrayList<>();
            for (Descriptor d : unique.values()) {
                out.add(await(futures.get(d.digest())));
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
     * its digest); a bad one is removed while holding the blob's writer, with a warning, and downloaded again.
     */
    private BlobResult download(Descriptor d) {
        BlobDescriptor blob = new BlobDescriptor(d.mediaType(), d.digest(), d.size());
        if (!verifyCached && destination.stat(blob, false).ok()) {
            return cached(d);
        }
        try (BlobWriter writer = destination.openWriter(blob)) {
            if (!replaceBad(blob, "blob", "removed, downloading it again")) {
                return cached(d); // another thread or process committed it while we waited for the writer
            }
            ResumableBlob partial = new ResumableBlob(writer);
            if (partial.verified()) {
                writer.commit(d.digest(), d.size()); // an interrupted run downloaded it all but did not commit
                return cached(d);
            }
            Served<Long> served = fetch(d, partial);
            writer.commit(d.digest(), d.size());
            BlobResult done = new BlobResult(d.digest(), d.size(), d.mediaType(), served.endpoint().baseUrl(),
                    false);
            listener.blobDone(done);
            return done;
        }
    }

    /**
     * Writes {@code bytes} (a manifest, verified when it was fetched) as {@code blob} unless a good copy is
     * there; a bad copy (another size or, with {@code verifyCached}, other content) is replaced, with a warning.
     */
    void store(BlobDescriptor blob, byte[] bytes) {
        if (destination.stat(blob, verifyCached).ok()) {
            return;
        }
        try (BlobWriter writer = destination.openWriter(blob)) {
            if (replaceBad(blob, "manifest", "replaced by the one just fetched")) {
                writer.truncate();
                writer.write(bytes, 0, bytes.length);
                writer.commit(blob.digest(), blob.size());
            }
        }
    }

    /**
     * Under the blob's writer: false when a good copy is stored; else true, after removing a bad copy with a
     * warning.
     */
    private boolean replaceBad(BlobDescriptor blob, String kind, String action) {
        BlobStatus stored = destination.stat(blob, verifyCached);
        if (stored.ok()) {
            return false;
        }
        if (stored.bad()) {
            listener.warning(kind + " " + blob.digest() + " in the store " + stored.problem() + ": " + action);
            destination.remove(blob.digest());
        }
        return true;
    }

    /**
     * Runs the blob's request through the executor; when every endpoint failed but the partial grew (bodies cut
     * or stalled half way), or a resumed prefix turned out wrong, the executor goes round again from where the
     * partial stands, as far as the {@link dev.jpull.FailoverPolicy#resumeAgain policy} allows.
     */
    private Served<Long> fetch(Descriptor d, ResumableBlob partial) {
        return executor.executeResuming(Target.blob(d.digest()), new GetBlob(exchange, partial, received, listener,
                executor), () -> new FailoverPolicy.ResumePoint(partial.offset(), partial.rejectedPrefixes()));
    }

    private BlobResult cached(Descriptor d) {
        BlobResult cached = new BlobResult(d.digest(), d.size(), d.mediaType(), null, true);
        listener.blobDone(cached);
        return cached;
    }
}
