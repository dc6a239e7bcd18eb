package dev.jpull.internal.store;

import dev.jpull.internal.oci.Digests;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * A blob being downloaded into the store's staging area ({@code ingest/sha256-<hex>.partial}): the file, the
 * running hash of its content (SHA-256, or the digest's algorithm), and its length (the offset to resume from). The file survives failed attempts
 * and interrupted processes so that a later attempt or run continues with a {@code Range} request; opening an
 * existing partial re-hashes its prefix. Nothing here is trusted until {@link #actualDigest()} matches the
 * descriptor: the bytes are only checked against the expected size on the way.
 *
 * <p>The store's {@link dev.jpull.spi.BlobWriter} ({@link OciBlobWriter}) writes through it; the failover state of
 * a download (a rejected prefix) is the puller's, not the file's.
 *
 * <p>Not thread-safe; the caller holds the blob's {@link BlobLock} while using it. Write failures of the local
 * file (a full disk) are {@link dev.jpull.StoreException}s naming it (they are not an endpoint's fault).
 */
public final class PartialBlob implements Closeable {
    private static final int BUFFER = 256 * 1024;

    private final Path path;
    private final String digest;
    private final long size;
    private final FileChannel channel;
    private MessageDigest md;
    private long offset;

    private PartialBlob(Path path, String digest, long size, FileChannel channel) {
        this.path = path;
        this.digest = digest;
        this.size = size;
        this.channel = channel;
        this.md = Digests.newDigest(digest);
    }

    /**
     * Opens (creating) the partial at {@code path} for a blob of {@code size} bytes. An existing prefix no longer
     * than {@code size} is re-hashed and kept; a longer file is emptied. A link, a directory or another user's
     * file at {@code path} is removed and replaced by a new file, never followed.
     */
    static PartialBlob open(Path path, String digest, long size) throws IOException {
        FileChannel ch = StoreFiles.openOrCreate(path, true);
        PartialBlob p = new PartialBlob(path, digest, size, ch);
        try {
            if (ch.size() > size) {
                p.reset();
            } else {
                p.rehash();
            }
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return p;
    }

    private void rehash() throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        long pos = 0;
        long length = channel.size();
        while (pos < length) {
            buf.clear();
            int n = channel.read(buf, pos);
            if (n < 0) {
                break;
            }
            md.update(buf.array(), 0, n);
            pos += n;
        }
        offset = pos;
        channel.truncate(pos);
        channel.position(pos);
    }

    /** The file in {@code ingest/}. */
    public Path path() {
        return path;
    }

    /** The digest this partial is meant to become. */
    public String digest() {
        return digest;
    }

    /** The descriptor's size. */
    public long size() {
        return size;
    }

    /** Bytes held so far: where the next request continues ({@code Range: bytes=<offset>-}). */
    public long offset() {
        return offset;
    }

    /** True when {@link #offset()} has reached {@link #size()}. */
    public boolean complete() {
        return offset == size;
    }

    /**
     * Appends {@code len} bytes and hashes them.
     *
     * @throws IllegalStateException when they would take the partial past the descriptor's size (nothing written)
     */
    public void append(byte[] bytes, int off, int len) {
        if (offset + len > size) {
            throw new IllegalStateException("more than the descriptor's " + size + " bytes");
        }
        try {
            ByteBuffer buf = ByteBuffer.wrap(bytes, off, len);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        } catch (IOException e) {
            throw StoreFiles.failure("write", path, e);
        }
        md.update(bytes, off, len);
        offset += len;
    }

    /** Throws everything away: the file is emptied and the hash starts over. */
    public void reset() {
        try {
            channel.truncate(0);
            channel.position(0);
        } catch (IOException e) {
            throw StoreFiles.failure("truncate", path, e);
        }
        md = Digests.newDigest(digest);
        offset = 0;
    }

    /** The digest of the bytes held so far (the running hash is left as it is). */
    public String actualDigest() {
        try {
            return Digests.of((MessageDigest) md.clone());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(md.getAlgorithm() + " implementation cannot be cloned", e);
        }
    }

    /** True when the partial is complete and hashes to {@link #digest()}. */
    public boolean verified() {
        return complete() && actualDigest().equals(digest);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "PartialBlob[" + digest + ", " + offset + "/" + size + "]";
    }
}
