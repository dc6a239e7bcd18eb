package bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The body loop both servers share: read what the source has, write it, until the range is sent. */
final class Body {
    static final AtomicInteger ACTIVE = new AtomicInteger();
    static final Set<Body> RUNNING = ConcurrentHashMap.newKeySet();

    interface Sink {
        void write(ByteBuffer buf, boolean last) throws IOException;
    }

    /** Nanos since a write call started and has not returned; 0 while not writing. */
    volatile long writingSince;
    volatile long sent;
    final Runnable abort;

    Body(Runnable abort) {
        this.abort = abort;
    }

    /** Sends bytes [first, first+count) of the source; stops after {@code cutAfter} bytes if >= 0. */
    void send(Blobs.Source src, long first, long count, long cutAfter, Sink sink) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(256 * 1024);
        long end = cutAfter >= 0 ? first + cutAfter : first + count;
        RUNNING.add(this);
        try {
            for (long pos = first; pos < end; ) {
                buf.clear();
                if (buf.remaining() > end - pos) {
                    buf.limit((int) (end - pos));
                }
                int n = src.read(buf, pos);
                buf.flip();
                pos += n;
                writingSince = System.nanoTime();
                sink.write(buf, pos == first + count);
                writingSince = 0;
                sent = pos - first;
            }
        } finally {
            writingSince = 0;
            RUNNING.remove(this);
        }
    }

    static void log(String server, String method, String path, int status, int port, long bytes, long t0,
            String outcome) {
        System.err.printf("[%s] %s %s %d port=%d bytes=%d ms=%d %s%n", server, method, path, status, port, bytes,
                (System.nanoTime() - t0) / 1_000_000, outcome);
    }
}
