package dev.jpull.internal.registry;

import dev.jpull.internal.oci.Digests;
import dev.jpull.spi.BlobDescriptor;
import dev.jpull.spi.BlobStatus;
import dev.jpull.spi.BlobWriter;
import dev.jpull.spi.Destination;
import dev.jpull.spi.PulledImage;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * A second {@link Destination}, in memory: committed blobs, uncommitted ingests that a later writer resumes, a
 * lock per digest, recorded images, and a journal of every call the pull made on it.
 */
final class MemoryDestination implements Destination {
    final Map<String, byte[]> committed = new ConcurrentHashMap<>();
    final Map<String, byte[]> ingests = new ConcurrentHashMap<>();
    final Map<String, PulledImage> images = new ConcurrentHashMap<>();
    /** "open D at N", "write D at N +L", "truncate D", "commit D as E S", "remove D", "close D" in call order. */
    final List<String> journal = new CopyOnWriteArrayList<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    @Override
    public BlobStatus stat(BlobDescriptor blob, boolean rehash) {
        byte[] b = committed.get(blob.digest());
        if (b == null) {
            return BlobStatus.ABSENT;
        }
        if (b.length != blob.size()) {
            return new BlobStatus(true, b.length, "has " + b.length + " bytes, not " + blob.size());
        }
        if (rehash && !Digests.sha256(b).equals(blob.digest())) {
            return new BlobStatus(true, b.length, "hashes to " + Digests.sha256(b));
        }
        return new BlobStatus(true, b.length, null);
    }

    @Override
    public BlobWriter openWriter(BlobDescriptor blob) {
        ReentrantLock lock = locks.computeIfAbsent(blob.digest(), d -> new ReentrantLock());
        lock.lock();
        Writer w = new Writer(blob, lock);
        journal.add("open " + blob.digest() + " at " + w.offset());
        return w;
    }

    @Override
    public void remove(String digest) {
        journal.add("remove " + digest);
        committed.remove(digest);
    }

    @Override
    public Optional<byte[]> read(String digest) {
        return Optional.ofNullable(committed.get(digest));
    }

    @Override
    public void recordImage(PulledImage image) {
        journal.add("record " + image.reference());
        images.put(image.reference(), image);
    }

    /** The journal entries about {@code digest}, without its first mention (the writer's digest). */
    List<String> callsFor(String digest) {
        return journal.stream().filter(e -> e.contains(" " + digest)).map(e -> e.replaceFirst(Pattern.quote(" " + digest), ""))
                .toList();
    }

    private final class Writer implements BlobWriter {
        private final BlobDescriptor blob;
        private final ReentrantLock lock;
        private final ByteArrayOutputStream held = new ByteArrayOutputStream();
        private boolean closed;

        Writer(BlobDescriptor blob, ReentrantLock lock) {
            this.blob = blob;
            this.lock = lock;
            byte[] prefix = ingests.get(blob.digest());
            if (prefix != null) {
                held.writeBytes(prefix);
            }
        }

        @Override
        public BlobDescriptor blob() {
            return blob;
        }

        @Override
        public long offset() {
            return held.size();
        }

        @Override
        public void write(byte[] bytes, int off, int len) {
            if (held.size() + len > blob.size()) {
                throw new IllegalStateException("past the size");
            }
            journal.add("write " + blob.digest() + " at " + held.size() + " +" + len);
            held.write(bytes, off, len);
            ingests.put(blob.digest(), held.toByteArray());
        }

        @Override
        public void truncate() {
            journal.add("truncate " + blob.digest());
            held.reset();
            ingests.remove(blob.digest());
        }

        @Override
        public String digest() {
            return Digests.sha256(held.toByteArray());
        }

        @Override
        public void commit(String expectedDigest, long expectedSize) {
            journal.add("commit " + blob.digest() + " as " + expectedDigest + " " + expectedSize);
            byte[] bytes = held.toByteArray();
            if (bytes.length != expectedSize || !Digests.sha256(bytes).equals(expectedDigest)) {
                throw new IllegalStateException("commit of wrong content " + Arrays.toString(bytes));
            }
            committed.put(expectedDigest, bytes);
            ingests.remove(blob.digest());
        }

        @Override
        public void abort() {
            ingests.remove(blob.digest());
            close();
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                journal.add("close " + blob.digest());
                lock.unlock();
            }
        }
    }
}
