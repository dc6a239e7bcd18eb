package dev.jpull.internal.serve;

import dev.jpull.EndpointPlan;
import dev.jpull.PullFailedException;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.store.BlobCheck;
import dev.jpull.internal.store.OciStore;
import dev.jpull.spi.BlobDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;

/**
 * {@code GET|HEAD /v2/<name>/blobs/<digest>}: from the store when it holds the blob (hashed on its first full read
 * in this process; the last bytes go out only once the hash is right), else from the blob's shared upstream
 * download as its bytes arrive ({@link Feed}): the client is answered once the download streams, follows it
 * (a body cut upstream resumes elsewhere and the client's stream simply continues), and receives the blob's last
 * byte only after the download is verified and committed. A download that fails, or turns out to be another
 * blob, cuts the client's connection: it sees a failed transfer, never a wrong blob. A blob no endpoint has is a
 * 404 ({@code BLOB_UNKNOWN}): containerd's fetcher moves to its next host only on 404.
 *
 * <p>When to stream: bytes sent before the end shows the blob is wrong cannot be taken back, and containerd 1.6
 * keeps them: it resumes its copy with {@code Range} after the cut, and its ingest, wrong in the middle, fails
 * every later pull of the image on the node. So a blob being downloaded is answered once it is verified, if
 * that takes at most {@code streamAfterMillis} (10 s by default: most layers), and streamed as it arrives when
 * it takes longer (a client must see progress: CRI cancels a pull without any for 5 minutes); a wrong blob from
 * an endpoint then costs nothing, except in a download longer than that.
 */
final class BlobResponder {
    private static final int CHUNK = 256 * 1024;
    /**
     * A blob served from the store whose file was written longer ago than this gets its modification time set to
     * now, so that {@code jpull prune --blobs} (by age) keeps what clients still ask for: at most once a day per blob.
     */
    static final long REFRESH_MILLIS = 24 * 3600_000L;
    /** Longest wait for a queued download to start, and for a streaming one to make progress. */
    static final long WAIT_MILLIS = 5 * 60_000L;

    private final OciStore store;
    private final Downloads downloads;
    private final KnownBlobs known;
    private final Fetching fetching;
    private final ServeMetrics metrics;
    private final VerifiedBlobs verified = new VerifiedBlobs();
    private final long streamAfterMillis;

    /**
     * @param streamAfterMillis how long a client waits for a blob being downloaded to be verified before it gets
     *                          the bytes as they arrive instead; 0: at once, {@link Long#MAX_VALUE}: never
     */
    BlobResponder(OciStore store, Downloads downloads, KnownBlobs known, Fetching fetching, ServeMetrics metrics,
                  long streamAfterMillis) {
        this.streamAfterMillis = streamAfterMillis;
        this.store = store;
        this.downloads = downloads;
        this.known = known;
        this.fetching = fetching;
        this.metrics = metrics;
    }

    void answer(Route route, Upstream upstream, Reply reply) throws IOException, Route.Refused,
            InterruptedException {
        String digest = route.reference();
        BlobDescriptor blob = known.get(digest);
        BlobCheck stored = store.check(digest, -1, false);
        if (stored.ok() && (blob == null || stored.size() == blob.size()) && fromStore(digest, stored.size(), reply)) {
            return;
        }
        EndpointPlan plan = upstream.plan(route.image());
        if (blob == null) {
            blob = new BlobDescriptor("application/octet-stream", digest, fetching.blobSize(plan, digest, reply));
        }
        if (reply.head()) {
            headers(reply, digest, blob.size(), null);
            reply.start(200, blob.size());
            return;
        }
        Feed feed = downloads.join(plan, blob);
        Feed.View v = streamAfterMillis == 0 ? feed.view()
                : feed.awaitEnd(Math.min(streamAfterMillis, WAIT_MILLIS));
        if (v.state() == Feed.State.FAILED) {
            throw notAvailable(digest, v.failure());
        }
        if (v.state() != Feed.State.COMMITTED) {
            if (streamAfterMillis == Long.MAX_VALUE) {
                throw new Route.Refused(503, "UNAVAILABLE", "the download of " + digest + " is not done");
            }
            fromFeed(feed, reply); // a long download: the client gets the bytes as they arrive
            return;
        }
        if (!fromStore(digest, blob.size(), reply)) {
            throw new Route.Refused(503, "UNAVAILABLE", "blob " + digest + " vanished from the store");
        }
        reply.source(v.endpoint() != null ? v.endpoint() : "upstream");
    }

    private static void headers(Reply reply, String digest, long size, ByteRange range) {
        reply.header("Content-Type", "application/octet-stream").header("Docker-Content-Digest", digest)
                .header("Accept-Ranges", "bytes");
        if (range != null) {
            reply.header("Content-Range", range.contentRange(size));
        }
    }

    private static ByteRange range(Reply reply, long size) throws IOException {
        try {
            return ByteRange.of(reply.header("Range"), size);
        } catch (ByteRange.Unsatisfiable e) {
            reply.header("Content-Range", "bytes */" + size);
            reply.error(416, "BLOB_UNKNOWN", "requested range not satisfiable");
            return null;
        }
    }

    /** False when the stored copy turned out absent or bad before anything was sent (then it goes upstream). */
    private boolean fromStore(String digest, long size, Reply reply) throws IOException {
        FileChannel ch = store.openBlob(digest);
        if (ch == null) {
            return false;
        }
        try (ch) {
            long written = store.blobPath(digest).toFile().lastModified();
            boolean hash = !verified.contains(digest, size, written);
            ByteRange range = reply.head() ? null : range(reply, size);
            if (reply.started()) {
                return true; // 416
            }
            if (hash && range != null) {
                if (!store.check(digest, size, true).ok()) {
                    store.removeBlob(digest);
                    return false;
                }
                verified.add(digest, size, written);
                hash = false;
            }
            reply.source("store");
            headers(reply, digest, size, range);
            long first = range == null ? 0 : range.first();
            long end = range == null ? size : range.end();
            reply.start(range == null ? 200 : 206, end - first);
            if (reply.head()) {
                if (!hash) {
                    refresh(digest, size, written);
                }
                return true;
            }
            MessageDigest md = hash ? Digests.newDigest(digest) : null;
            ByteBuffer buf = ByteBuffer.allocate(CHUNK);
            for (long pos = first; pos < end; ) {
                buf.clear().limit((int) Math.min(CHUNK, end - pos));
                int n = ch.read(buf, pos);
                if (n <= 0) {
                    reply.abort(); // the file shrank under us
                    return true;
                }
                if (md != null) {
                    md.update(buf.array(), 0, n);
                    if (pos + n == end && !digest.equals(Digests.of(md))) {
                        reply.abort();
                        store.removeBlob(digest);
                        return true;
                    }
                }
                reply.write(buf.array(), 0, n);
                metrics.served(true, n);
                pos += n;
            }
            if (md != null) {
                verified.add(digest, size, written);
            }
            refresh(digest, size, written);
            return true;
        }
    }

    /**
     * Sets the verified blob's modification time to now when it is older than {@link #REFRESH_MILLIS} (never through
     * a link), and keeps it verified under its new time: touching it changes nothing in it.
     */
    private void refresh(String digest, long size, long written) {
        long now = System.currentTimeMillis();
        if (now - written < REFRESH_MILLIS) {
            return;
        }
        java.nio.file.Path p = store.blobPath(digest);
        try {
            java.nio.file.Files.getFileAttributeView(p, java.nio.file.attribute.BasicFileAttributeView.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS).setTimes(java.nio.file.attribute.FileTime.fromMillis(now),
                    null, null);
            verified.moved(digest, size, written, p.toFile().lastModified());
        } catch (IOException | UnsupportedOperationException e) {
            // a refresh only: the blob is served all the same, and pruned by its download time
        }
    }

    private void fromFeed(Feed feed, Reply reply) throws IOException, InterruptedException, Route.Refused {
        Feed.View v = feed.awaitStart(WAIT_MILLIS);
        if (v.state() == Feed.State.FAILED) {
            throw notAvailable(feed.blob().digest(), v.failure());
        }
        if (v.state() == Feed.State.WAITING) {
            throw new Route.Refused(503, "UNAVAILABLE", "the download of " + feed.blob().digest()
                    + " has not started");
        }
        long size = feed.blob().size();
        ByteRange range = range(reply, size);
        if (reply.started()) {
            return;
        }
        String digest = feed.blob().digest();
        headers(reply, digest, size, range);
        long first = range == null ? 0 : range.first();
        long end = range == null ? size : range.end();
        reply.start(range == null ? 200 : 206, end - first);
        new FeedReader(store, feed, reply, metrics).copy(first, end, v.generation());
    }

    static Route.Refused notAvailable(String digest, RuntimeException failure) {
        String why = failure instanceof PullFailedException p ? p.getMessage() : "the download failed";
        return new Route.Refused(404, "BLOB_UNKNOWN", "not available upstream: " + firstLine(why));
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
