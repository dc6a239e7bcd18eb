package bench;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

/**
 * The blobs both servers serve, from files in one directory. {@code 512m}, {@code 64m}, {@code 1k} are complete
 * files; {@code grow-64m} is a fresh file that a writer thread appends to (64 KiB every ms, like a download in
 * progress) while the handler streams it; {@code grow-stall} does the same but pauses 8 s after 8 MiB (an
 * upstream that stalls: the client must simply wait, no server timeout may cut it).
 */
final class Blobs {
    static final int MIB = 1 << 20;
    private final Path dir;

    Blobs(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        make("512m", 512L * MIB);
        make("64m", 64L * MIB);
        make("1k", 1024);
    }

    private void make(String name, long size) throws IOException {
        Path p = dir.resolve(name);
        if (Files.exists(p) && Files.size(p) == size) {
            return;
        }
        byte[] block = new byte[MIB];
        new Random(42).nextBytes(block);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long off = 0; off < size; off += MIB) {
                block[0] = (byte) (off / MIB); // blocks differ, so a misplaced range shows in cmp
                ch.write(ByteBuffer.wrap(block, 0, (int) Math.min(MIB, size - off)));
            }
        }
    }

    /** Opens a blob, null if unknown. */
    Source open(String name) throws IOException {
        if (name.equals("grow-64m") || name.equals("grow-stall")) {
            return Source.growing(dir.resolve("64m"), Files.createTempFile(dir, "grow", ".part"),
                    name.equals("grow-stall") ? 8L * MIB : -1);
        }
        if (!name.matches("512m|64m|1k")) {
            return null;
        }
        return Source.complete(dir.resolve(name));
    }

    /** A blob being read; {@link #read} blocks until bytes at {@code pos} exist (a download in progress). */
    static final class Source implements AutoCloseable {
        private final FileChannel ch;
        private final long size;
        private final Path temp;
        private final Thread writer;
        private long available;

        private Source(FileChannel ch, long size, long available, Path temp, Thread writer) {
            this.ch = ch;
            this.size = size;
            this.available = available;
            this.temp = temp;
            this.writer = writer;
        }

        static Source complete(Path p) throws IOException {
            FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
            return new Source(ch, ch.size(), ch.size(), null, null);
        }

        static Source growing(Path from, Path temp, long stallAt) throws IOException {
            FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
            FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE);
            FileChannel read = FileChannel.open(temp, StandardOpenOption.READ);
            Source[] self = new Source[1];
            Thread t = new Thread(() -> {
                ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                try (in; out) {
                    long pos = 0;
                    while (pos < in.size()) {
                        buf.clear();
                        int n = in.read(buf, pos);
                        buf.flip();
                        while (buf.hasRemaining()) {
                            out.write(buf, pos + buf.position());
                        }
                        pos += n;
                        self[0].advance(pos);
                        if (pos == stallAt) {
                            Thread.sleep(8000);
                        }
                        Thread.sleep(1);
                    }
                } catch (IOException | InterruptedException e) {
                    // reader gone
                }
            }, "writer");
            t.setDaemon(true);
            self[0] = new Source(read, in.size(), 0, temp, t);
            t.start();
            return self[0];
        }

        private synchronized void advance(long pos) {
            available = pos;
            notifyAll();
        }

        long size() {
            return size;
        }

        /** Reads from {@code pos}, waiting for the writer if needed. */
        int read(ByteBuffer dst, long pos) throws IOException {
            synchronized (this) {
                try {
                    while (available <= pos) {
                        wait();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException();
                }
                if (dst.remaining() > available - pos) {
                    dst.limit(dst.position() + (int) (available - pos));
                }
            }
            return ch.read(dst, pos);
        }

        @Override
        public void close() throws IOException {
            ch.close();
            if (writer != null) {
                writer.interrupt();
                Files.deleteIfExists(temp);
            }
        }
    }
}
