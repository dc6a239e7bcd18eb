package dev.jpull.containerd.internal;

import dev.jpull.containerd.ContainerdException;
import dev.jpull.containerd.internal.api.content.AbortRequest;
import dev.jpull.containerd.internal.api.content.WriteAction;
import dev.jpull.containerd.internal.api.content.WriteContentRequest;
import dev.jpull.containerd.internal.api.content.WriteContentResponse;
import dev.jpull.spi.BlobDescriptor;
import dev.jpull.spi.BlobWriter;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;

/**
 * One blob streamed into containerd's content store through {@code Content.Write}, a bidirectional stream on the
 * ingest ref {@link RefKeys#of} gives (the ref {@code ctr pull} uses, so the two share and resume each other's
 * ingests). Opening sends {@code STAT}: containerd answers with the bytes the ingest already holds (an interrupted
 * pull's, from any process) and their digest, or {@code ALREADY_EXISTS} when the blob is committed, or
 * {@code UNAVAILABLE} "locked" while another writer holds the ref, which is waited out (as containerd's
 * {@code content.OpenWriter} does, bounded by {@link #LOCK_WAIT}).
 *
 * <p>Writes are pipelined: up to {@link #WINDOW} chunks are in flight before the writer waits for containerd's
 * answers, which carry the offset and the digest of everything held; containerd hashes the bytes, so
 * {@link #digest()} is containerd's own view. Each wait is bounded by {@link Connection#CALL_TIMEOUT}.
 * Not thread-safe, as {@link BlobWriter} says.
 */
final class ContentWriter implements BlobWriter {
    static final Duration LOCK_WAIT = Duration.ofMinutes(30);
    private static final int WINDOW = 8;

    private final Connection connection;
    private final String lease;
    private final BlobDescriptor blob;
    private final String ref;
    private final boolean exists;
    private final WriteStream stream;
    private long offset;      // bytes sent, including those not yet acknowledged
    private String digest;    // containerd's digest of the acknowledged bytes
    private int pending;
    private boolean finished;

    private ContentWriter(Connection connection, String lease, BlobDescriptor blob, String ref, boolean exists,
                          WriteStream stream, long offset, String digest) {
        this.connection = connection;
        this.lease = lease;
        this.blob = blob;
        this.ref = ref;
        this.exists = exists;
        this.stream = stream;
        this.offset = offset;
        this.digest = digest;
        this.finished = exists;
    }

    /** Opens the ingest of {@code blob}, waiting while another writer holds it. */
    static ContentWriter open(Connection connection, String lease, BlobDescriptor blob) {
        String ref = RefKeys.of(blob);
        long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
        long backoffMillis = 50;
        while (true) {
            WriteStream stream = new WriteStream(connection, lease);
            stream.send(WriteContentRequest.newBuilder().setAction(WriteAction.STAT).setRef(ref)
                    .setTotal(blob.size()).setExpected(blob.digest()).build());
            try {
                WriteContentResponse stat = stream.await("opening the ingest " + ref);
                ContentWriter w = new ContentWriter(connection, lease, blob, ref, false, stream, stat.getOffset(),
                        stat.getDigest());
                if (stat.getOffset() == blob.size() && blob.digest().equals(stat.getDigest())) {
                    // complete already: content containerd holds in another namespace (its shared policy), or an
                    // ingest a killed pull finished; committing it makes it the namespace's without a download
                    w.commit(blob.digest(), blob.size());
                    w.close();
                    return new ContentWriter(connection, lease, blob, ref, true, stream, blob.size(), blob.digest());
                }
                return w;
            } catch (StatusRuntimeException e) {
                stream.end();
                if (Errors.is(e, Status.Code.ALREADY_EXISTS)) {
                    return new ContentWriter(connection, lease, blob, ref, true, stream, blob.size(), blob.digest());
                }
                boolean locked = Errors.is(e, Status.Code.UNAVAILABLE)
                        && String.valueOf(e.getStatus().getDescription()).contains("locked");
                if (!locked) {
                    throw Errors.failed(connection, "opening the ingest " + ref, e);
                }
                if (System.nanoTime() > deadline) {
                    throw new ContainerdException("the ingest " + ref + " in containerd at " + connection.socket()
                            + " stayed locked by another writer for " + LOCK_WAIT.toMinutes() + " min: is another"
                            + " pull stuck? (ctr -n " + connection.namespace() + " content active)", e);
                }
                sleep(backoffMillis);
                backoffMillis = Math.min(1000, backoffMillis * 2);
            }
        }
    }

    @Override
    public BlobDescriptor blob() {
        return blob;
    }

    @Override
    public long offset() {
        return offset;
    }

    @Override
    public void write(byte[] bytes, int off, int len) {
        open();
        if (offset + len > blob.size()) {
            throw new IllegalStateException("writing " + len + " bytes at " + offset + " would take "
                    + blob.digest() + " past its " + blob.size() + " bytes");
        }
        if (len == 0) {
            return;
        }
        send(WriteContentRequest.newBuilder().setAction(WriteAction.WRITE).setOffset(offset)
                .setData(ByteString.copyFrom(bytes, off, len)).build());
        offset += len;
        if (pending >= WINDOW) {
            acknowledge();
        }
    }

    @Override
    public void truncate() {
        open();
        drain();
        send(WriteContentRequest.newBuilder().setAction(WriteAction.WRITE).setOffset(0).build());
        offset = 0;
        drain();
    }

    @Override
    public String digest() {
        if (!exists) {
            drain();
        }
        return digest;
    }

    @Override
    public void commit(String expectedDigest, long expectedSize) {
        if (!blob.digest().equals(expectedDigest) || blob.size() != expectedSize) {
            throw new IllegalStateException("commit of " + expectedDigest + " (" + expectedSize
                    + " bytes): this writer is for " + blob.digest() + " (" + blob.size() + " bytes)");
        }
        if (exists) {
            return;
        }
        open();
        drain();
        if (offset != expectedSize || !expectedDigest.equals(digest)) {
            throw new IllegalStateException("containerd holds " + offset + " bytes hashing to " + digest
                    + " for " + ref + ", not " + expectedSize + " bytes of " + expectedDigest);
        }
        send(WriteContentRequest.newBuilder().setAction(WriteAction.COMMIT).setOffset(offset)
                .setTotal(expectedSize).setExpected(expectedDigest).build());
        try {
            acknowledge("committing " + ref);
        } catch (ContainerdException e) {
            if (!(e.getCause() instanceof StatusRuntimeException s && Errors.is(s, Status.Code.ALREADY_EXISTS))) {
                throw e;
            }
        } finally {
            finish();
        }
    }

    @Override
    public void abort() {
        finish();
        try {
            connection.content(lease).abort(AbortRequest.newBuilder().setRef(ref).build());
        } catch (StatusRuntimeException e) {
            if (!Errors.is(e, Status.Code.NOT_FOUND)) {
                throw Errors.failed(connection, "aborting the ingest " + ref, e);
            }
        }
    }

    @Override
    public void close() {
        finish();
    }

    private void open() {
        if (finished) {
            throw new IllegalStateException("writer of " + blob.digest() + " is closed");
        }
    }

    private void send(WriteContentRequest request) {
        stream.send(request);
        pending++;
    }

    private void drain() {
        while (pending > 0) {
            acknowledge();
        }
    }

    private void acknowledge() {
        acknowledge("writing " + ref);
    }

    private void acknowledge(String doing) {
        try {
            WriteContentResponse r = stream.await(doing);
            pending--;
            digest = r.getDigest();
        } catch (StatusRuntimeException e) {
            finished = true;
            throw Errors.failed(connection, doing, e);
        }
    }

    /** Ends the stream; containerd keeps an uncommitted ingest for the next writer and releases the ref's lock. */
    private void finish() {
        if (finished && pending == 0) {
            return;
        }
        finished = true;
        stream.end();
        pending = 0;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerdException("interrupted while waiting for a locked ingest", e);
        }
    }

    @Override
    public String toString() {
        return "ContentWriter[" + ref + " in " + connection + "]";
    }
}
