package dev.jpull.internal.store;

import dev.jpull.spi.BlobDescriptor;
import dev.jpull.spi.BlobWriter;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@link BlobWriter} of the OCI layout store: holds the blob's {@link BlobLock} from {@link #open} to
 * {@link #close}, and writes into its {@link PartialBlob} ({@code ingest/<alg>-<hex>.partial}), which is opened
 * (and its prefix re-hashed) on first use, so that a writer that finds the blob committed by the previous lock
 * holder and is closed unused leaves nothing in {@code ingest/}. {@link #commit} renames the partial into
 * {@code blobs/} ({@link OciStore#commit(PartialBlob, BlobLock)}) and drops the lock file.
 */
final class OciBlobWriter implements BlobWriter {
    private final OciStore store;
    private final BlobDescriptor blob;
    private final BlobLock lock;
    private PartialBlob partial;
    private boolean closed;

    private OciBlobWriter(OciStore store, BlobDescriptor blob, BlobLock lock) {
        this.store = store;
        this.blob = blob;
        this.lock = lock;
    }

    /** Blocks until the calling thread holds {@code blob}'s lock in {@code store}. */
    static OciBlobWriter open(OciStore store, BlobDescriptor blob) {
        return new OciBlobWriter(store, blob, store.lockBlob(blob.digest()));
    }

    private PartialBlob partial() {
        if (closed) {
            throw new IllegalStateException("writer of " + blob.digest() + " is closed");
        }
        if (partial == null) {
            partial = store.openPartial(blob.digest(), blob.size());
        }
        return partial;
    }

    @Override
    public BlobDescriptor blob() {
        return blob;
    }

    @Override
    public long offset() {
        return partial().offset();
    }

    @Override
    public void write(byte[] bytes, int off, int len) {
        partial().append(bytes, off, len);
    }

    @Override
    public void truncate() {
        partial().reset();
    }

    @Override
    public String digest() {
        return partial().actualDigest();
    }

    @Override
    public void commit(String expectedDigest, long expectedSize) {
        PartialBlob p = partial();
        if (!blob.digest().equals(expectedDigest) || blob.size() != expectedSize) {
            throw new IllegalStateException("refusing to commit " + p + " as " + expectedDigest + " ("
                    + expectedSize + " bytes): this writer is for " + blob.digest() + " (" + blob.size() + " bytes)");
        }
        if (!p.complete()) {
            throw new IllegalStateException("refusing to commit " + p + ": it holds " + p.offset() + " of "
                    + expectedSize + " bytes");
        }
        store.commit(p, lock);
    }

    @Override
    public void abort() {
        closePartial();
        Path path = store.partialPath(blob.digest());
        try {
            StoreFiles.removeTree(path);
        } catch (IOException e) {
            throw StoreFiles.failure("remove", path, e);
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            closePartial();
        } finally {
            lock.close();
        }
    }

    private void closePartial() {
        if (partial != null) {
            try {
                partial.close();
            } catch (IOException ignored) {
                // the partial stays in ingest/ for the next run; closing a read/write channel cannot lose data
            }
        }
    }

    @Override
    public String toString() {
        return "OciBlobWriter[" + blob.digest() + " in " + store.root() + "]";
    }
}
