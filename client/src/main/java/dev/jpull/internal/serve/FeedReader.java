package dev.jpull.internal.serve;

import dev.jpull.internal.store.OciStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Copies bytes {@code [first, end)} of a blob being downloaded to one client, as they reach the store's partial
 * file. The blob's last byte waits for the commit (the download verified the whole blob); a download that fails,
 * starts over after bytes were sent, or makes no progress for {@link BlobResponder#WAIT_MILLIS} cuts the client's
 * connection instead.
 */
final class FeedReader {
    private static final int CHUNK = 256 * 1024;

    private final OciStore store;
    private final Feed feed;
    private final Reply reply;
    private final ServeMetrics metrics;
    private FileChannel channel;

    FeedReader(OciStore store, Feed feed, Reply reply, ServeMetrics metrics) {
        this.store = store;
        this.feed = feed;
        this.reply = reply;
        this.metrics = metrics;
    }

    void copy(long first, long end, int generation) throws IOException, InterruptedException {
        long size = feed.blob().size();
        long pos = first;
        int gen = generation;
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        try {
            while (pos < end) {
                Feed.View v = feed.view();
                if (v.generation() != gen) {
                    if (pos > first) {
                        reply.abort(); // the bytes sent were thrown away upstream
                        return;
                    }
                    gen = v.generation();
                    closeChannel();
                }
                if (v.state() == Feed.State.FAILED) {
                    reply.abort();
                    return;
                }
                boolean committed = v.state() == Feed.State.COMMITTED;
                long limit = committed || end < size ? end : size - 1; // the last byte waits for the verdict
                long available = Math.min(v.available(), limit);
                if (available > pos) {
                    pos = send(pos, available, buf, committed);
                    if (pos < 0) {
                        reply.abort();
                        return;
                    }
                    continue;
                }
                reply.flush();
                long waitFor = v.available() >= limit && limit < end ? size : pos;
                Feed.View after = feed.await(waitFor, gen, BlobResponder.WAIT_MILLIS);
                if (after.equals(v)) {
                    reply.abort(); // no progress for the whole wait
                    return;
                }
            }
            reply.source(feed.view().endpoint() != null ? feed.view().endpoint() : "upstream");
        } finally {
            closeChannel();
        }
    }

    /** Sends {@code [pos, to)} from the partial (or committed) file; returns the new position, -1 when unreadable. */
    private long send(long pos, long to, ByteBuffer buf, boolean committed) throws IOException {
        if (channel == null) {
            channel = open(committed);
            if (channel == null) {
                return -1;
            }
        }
        while (pos < to) {
            buf.clear().limit((int) Math.min(CHUNK, to - pos));
            int n = channel.read(buf, pos);
            if (n <= 0) {
                return -1;
            }
            reply.write(buf.array(), 0, n);
            metrics.served(false, n);
            pos += n;
        }
        return pos;
    }

    private FileChannel open(boolean committed) {
        String digest = feed.blob().digest();
        FileChannel ch = committed ? null : store.openPartialRead(digest);
        return ch != null ? ch : store.openBlob(digest); // committed meanwhile: the partial was renamed
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
