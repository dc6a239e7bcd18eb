package dev.jpull.internal.serve;

import dev.jpull.internal.store.OciStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Copies bytes {@code [first, end)} of a blob being downloaded to one client, as they reach the store's partial
 * file. The blob's last byte waits for the commit (the download verified the whole blob); a download that fails
 * or makes no progress for {@link BlobResponder#WAIT_MILLIS} cuts the client's connection instead.
 *
 * <p>When the download starts over (an endpoint sent a wrong blob, or ignored {@code Range}) after bytes went out,
 * the reader waits until the new bytes cover what it sent and compares them (CRC-32C of what was sent, kept as it
 * went out): the same bytes, and the stream simply continues; other bytes, and the connection is cut. A forged
 * prefix that passed this check still cannot make a client accept a wrong blob: the client checks the digest of
 * the whole blob, whose last byte goes out only after the download verified its digest.
 */
final class FeedReader {
    private static final int CHUNK = 256 * 1024;

    private final OciStore store;
    private final Feed feed;
    private final Reply reply;
    private final ServeMetrics metrics;
    private FileChannel channel;
    private final java.util.zip.CRC32C sent = new java.util.zip.CRC32C();

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
        boolean recheck = false; // the download started over after bytes went out: compare them first
        try {
            while (pos < end) {
                Feed.View v = feed.view();
                if (v.generation() != gen) {
                    gen = v.generation();
                    closeChannel();
                    recheck = pos > first;
                    continue;
                }
                if (v.state() == Feed.State.FAILED) {
                    reply.abort();
                    return;
                }
                boolean committed = v.state() == Feed.State.COMMITTED;
                if (recheck) {
                    if (committed || v.available() >= pos) {
                        if (!sameAsSent(first, pos, buf, committed)) {
                            reply.abort(); // other bytes than those sent: the client's copy is lost
                            return;
                        }
                        recheck = false;
                        continue;
                    }
                    if (feed.await(pos - 1, gen, BlobResponder.WAIT_MILLIS).equals(v)) {
                        reply.abort();
                        return;
                    }
                    continue;
                }
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
            sent.update(buf.array(), 0, n);
            metrics.served(false, n);
            pos += n;
        }
        return pos;
    }

    /** True when bytes {@code [first, pos)} of the file now are those sent (by CRC-32C). */
    private boolean sameAsSent(long first, long pos, ByteBuffer buf, boolean committed) throws IOException {
        if (channel == null && (channel = open(committed)) == null) {
            return false;
        }
        java.util.zip.CRC32C now = new java.util.zip.CRC32C();
        for (long at = first; at < pos; ) {
            buf.clear().limit((int) Math.min(CHUNK, pos - at));
            int n = channel.read(buf, at);
            if (n <= 0) {
                return false;
            }
            now.update(buf.array(), 0, n);
            at += n;
        }
        return now.getValue() == sent.getValue();
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
