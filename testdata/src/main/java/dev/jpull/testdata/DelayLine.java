package dev.jpull.testdata;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * One direction of a {@link WanProxy} connection: a reader that timestamps every chunk it reads with the time it
 * leaves the far end (after the {@link WanProxy.Link}, plus the one-way delay) and a writer that sends each chunk
 * at that time, in order. At most {@link WanProxy#WINDOW} bytes are between the two. An {@link HttpWatch} may
 * stop the flow mid-body (the connection then stays open, silent).
 */
final class DelayLine implements Runnable {
    private static final byte[] END = new byte[0];

    private record Chunk(byte[] data, long due) {
    }

    private final InputStream in;
    private final OutputStream out;
    private final long delayNanos;
    private final WanProxy.Link link;
    private final Consumer<byte[]> requests;
    private final HttpWatch watch;
    private final BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    private final Semaphore window = new Semaphore(WanProxy.WINDOW);

    DelayLine(InputStream in, OutputStream out, long delayNanos, WanProxy.Link link, Consumer<byte[]> requests,
              HttpWatch watch) {
        this.in = in;
        this.out = out;
        this.delayNanos = delayNanos;
        this.link = link;
        this.requests = requests;
        this.watch = watch;
    }

    @Override
    public void run() {
        Thread writer = new Thread(this::write, Thread.currentThread().getName() + "-w");
        writer.setDaemon(true);
        writer.start();
        byte[] buf = new byte[16 * 1024];
        boolean stalled = false;
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (stalled) {
                    continue; // silent from now on: read and drop, keep the connection open
                }
                if (requests != null) {
                    requests.accept(java.util.Arrays.copyOf(buf, n));
                }
                int forward = watch == null ? n : watch.allow(buf, 0, n);
                if (forward < n) {
                    stalled = true;
                }
                if (forward > 0) {
                    long now = System.nanoTime();
                    long left = link == null ? now : link.reserve(forward, now);
                    window.acquire(forward);
                    queue.add(new Chunk(java.util.Arrays.copyOf(buf, forward), left + delayNanos));
                }
            }
        } catch (IOException | InterruptedException e) {
            // the connection ended
        }
        queue.add(new Chunk(END, System.nanoTime() + delayNanos));
        try {
            writer.join(); // the bytes still "on the wire" arrive before the connection is closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write() {
        try {
            while (true) {
                Chunk c = queue.take();
                long wait = c.due() - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                if (c.data() == END) {
                    out.close();
                    return;
                }
                out.write(c.data());
                out.flush();
                window.release(c.data().length);
            }
        } catch (IOException | InterruptedException e) {
            try {
                out.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
