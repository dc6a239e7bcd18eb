package dev.jpull.internal.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Exclusive right to download one blob into one store ({@code ingest/sha256-<hex>.lock}), against other threads
 * of this JVM and other processes. Two levels, as for {@code index.json}: a JVM-wide lock per lock file
 * ({@link KeyedLocks}: a {@link FileLock} is held per JVM, and a second channel of the same JVM would get an
 * {@code OverlappingFileLockException}), then a {@link FileLock} on the lock file. A process killed while holding
 * it loses the {@link FileLock} with the process.
 */
public final class BlobLock implements AutoCloseable {
    private static final KeyedLocks<String> JVM_LOCKS = new KeyedLocks<>();

    private final Path file;
    private final KeyedLocks<String>.Held jvmLock;
    private final FileChannel channel;
    private boolean deleteOnClose;

    private BlobLock(Path file, KeyedLocks<String>.Held jvmLock, FileChannel channel) {
        this.file = file;
        this.jvmLock = jvmLock;
        this.channel = channel;
    }

    /** Blocks until the calling thread holds the lock on {@code file}. */
    static BlobLock acquire(Path file) throws IOException {
        KeyedLocks<String>.Held jvmLock;
        try {
            jvmLock = JVM_LOCKS.lockInterruptibly(key(file));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for " + file);
        }
        return lockFile(file, jvmLock, true);
    }

    /**
     * The lock on {@code file} if nobody holds it now, else null (never waits); {@code file} is created when
     * missing, as for {@link #acquire}.
     */
    static BlobLock tryAcquire(Path file) throws IOException {
        KeyedLocks<String>.Held jvmLock = JVM_LOCKS.tryLock(key(file));
        if (jvmLock == null) {
            return null; // held by this thread (reentrant) or another one of this JVM
        }
        return lockFile(file, jvmLock, false);
    }

    private static String key(Path file) throws IOException {
        return file.getParent().toRealPath().resolve(file.getFileName()).toString();
    }

    /** Lock files of this JVM with a holder or a waiter now (tests). */
    static int inUse() {
        return JVM_LOCKS.inUse();
    }

    /** With {@code jvmLock} held: the file lock (waiting for it when {@code wait}, else null when taken). */
    private static BlobLock lockFile(Path file, KeyedLocks<String>.Held jvmLock, boolean wait) throws IOException {
        FileChannel channel = null;
        try {
            channel = StoreFiles.openOrCreate(file, true); // a link or directory planted there is removed
            if (wait) {
                waitForLock(channel, file);
            } else if (channel.tryLock() == null) {
                channel.close();
                jvmLock.close();
                return null;
            }
            return new BlobLock(file, jvmLock, channel);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            jvmLock.close();
            throw e;
        }
    }

    /**
     * Polls {@link FileChannel#tryLock()} rather than blocking in {@link FileChannel#lock()}: POSIX record locks
     * belong to the process, so two processes whose download threads wait on each other's blobs look like a
     * deadlock to the kernel, which then fails the blocking call with EDEADLK although no thread is stuck.
     */
    private static void waitForLock(FileChannel channel, Path file) throws IOException {
        long pause = 5;
        while (channel.tryLock() == null) {
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for " + file);
            }
            pause = Math.min(pause * 2, 100);
        }
    }

    /**
     * Removes the lock file when the lock is released. Only safe once the blob is committed: whoever still waits
     * on the old file, or locks a new one, then finds the blob in the store and does not write.
     */
    void deleteOnClose() {
        this.deleteOnClose = true;
    }

    /** Releases the lock (must be called by the thread that acquired it). */
    @Override
    public void close() {
        try {
            if (deleteOnClose) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // a leftover lock file is harmless: it is reused by the next download of this blob
        }
        try {
            channel.close(); // releases the FileLock too
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release " + file + ": " + e.getMessage(), e);
        } finally {
            jvmLock.close();
        }
    }
}
