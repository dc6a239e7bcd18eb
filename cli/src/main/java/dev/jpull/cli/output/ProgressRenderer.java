package dev.jpull.cli.output;

import dev.jpull.Attempt;
import dev.jpull.BlobResult;
import dev.jpull.PullListener;
import dev.jpull.Printable;
import java.io.PrintWriter;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Blob progress on stderr, in front of another listener (the failover trace) whose lines it keeps readable.
 * On a terminal: one bar per blob being downloaded (short digest, endpoint host, bytes of size, speed), redrawn
 * in place with ANSI escapes at most 10 times a second, and a permanent line when a blob is done. Elsewhere
 * (a pipe, a CI log): plain lines only, one when a blob download starts on an endpoint and one when it is done:
 * <pre>
 * jpull: blob sha256:0123456789ab (12.3 MB) from http://127.0.0.1:5000/v2 ...
 * jpull: blob sha256:0123456789ab 12.3 MB from http://127.0.0.1:5000/v2 in 0.8 s
 * </pre>
 * Blobs already in the store print nothing (the closing summary counts them). Thread-safe: every output happens
 * under the lock of the shared stderr writer. The text of a bar is escaped ({@link Printable}); its own ANSI
 * sequences are added after, through {@link Output#control}.
 */
public final class ProgressRenderer implements PullListener {
    static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR_WIDTH = 20;

    private final PrintWriter err;
    private final boolean terminal;
    private final PullListener next;
    private final LongSupplier clock;
    private final Map<String, Bar> bars = new LinkedHashMap<>();
    private final Map<String, Long> firstStart = new LinkedHashMap<>();
    private int drawnLines;
    private long lastDraw = Long.MIN_VALUE;

    /** One blob download on one endpoint. */
    private static final class Bar {
        final String digest;
        final long size;
        final String endpoint;
        long received = -1;
        long baseReceived = -1;
        long baseNanos;
        long lastNanos;

        Bar(String digest, long size, String endpoint) {
            this.digest = digest;
            this.size = size;
            this.endpoint = endpoint;
        }
    }

    public ProgressRenderer(PrintWriter err, boolean terminal, PullListener next) {
        this(err, terminal, next, System::nanoTime);
    }

    public ProgressRenderer(PrintWriter err, boolean terminal, PullListener next, LongSupplier clock) {
        this.err = err;
        this.terminal = terminal;
        this.next = next;
        this.clock = clock;
    }

    @Override
    public void blobStarted(String digest, long size, String endpoint) {
        synchronized (err) {
            firstStart.putIfAbsent(digest, clock.getAsLong());
            next.blobStarted(digest, size, endpoint);
            if (terminal) {
                bars.put(digest, new Bar(digest, size, endpoint));
                redraw();
            } else {
                println("jpull: blob " + shortDigest(digest) + " (" + TraceListener.bytes(size) + ") from "
                        + endpoint + " ...");
            }
        }
    }

    @Override
    public void blobProgress(String digest, long received, long size, String endpoint) {
        synchronized (err) {
            next.blobProgress(digest, received, size, endpoint);
            Bar bar = bars.get(digest);
            if (!terminal || bar == null) {
                return;
            }
            long now = clock.getAsLong();
            if (bar.baseReceived < 0) {
                bar.baseReceived = received;
                bar.baseNanos = now;
            }
            bar.received = received;
            bar.lastNanos = now;
            if (now - lastDraw >= REDRAW_NANOS) {
                redraw();
            }
        }
    }

    @Override
    public void blobResumed(String digest, long offset, long size) {
        synchronized (err) {
            erase();
            next.blobResumed(digest, offset, size);
            draw();
        }
    }

    @Override
    public void blobDone(BlobResult blob) {
        synchronized (err) {
            erase();
            next.blobDone(blob);
            bars.remove(blob.digest());
            Long started = firstStart.remove(blob.digest());
            if (!blob.cached()) {
                double seconds = started == null ? 0 : (clock.getAsLong() - started) / 1e9;
                println("jpull: blob " + shortDigest(blob.digest()) + " " + TraceListener.bytes(blob.size())
                        + " from " + blob.endpoint() + String.format(Locale.ROOT, " in %.1f s", seconds));
            }
            draw();
        }
    }

    @Override
    public void attemptFailed(Attempt attempt) {
        synchronized (err) {
            erase();
            next.attemptFailed(attempt);
            draw();
        }
    }

    @Override
    public void recovered(Attempt attempt) {
        synchronized (err) {
            erase();
            next.recovered(attempt);
            draw();
        }
    }

    @Override
    public void manifestResolved(String ref, String digest, String mediaType, String endpoint) {
        synchronized (err) {
            erase();
            next.manifestResolved(ref, digest, mediaType, endpoint);
            draw();
        }
    }

    @Override
    public void rateLimit(String endpoint, String limit, String remaining) {
        synchronized (err) {
            erase();
            next.rateLimit(endpoint, limit, remaining);
            draw();
        }
    }

    @Override
    public void warning(String message) {
        synchronized (err) {
            erase();
            next.warning(message);
            draw();
        }
    }

    /** Removes the bars from the screen (before the summary or an error message). */
    public void finish() {
        synchronized (err) {
            erase();
            bars.clear();
        }
    }

    /** {@code sha256:} and the first 12 hex digits. */
    static String shortDigest(String digest) {
        int colon = digest.indexOf(':');
        return colon >= 0 && digest.length() > colon + 13 ? digest.substring(0, colon + 13) : digest;
    }

    /** E.g. {@code sha256:0123456789ab  127.0.0.1:5000  [=======>            ]  5.2 MB / 12.3 MB  6.1 MB/s}. */
    static String barLine(String digest, String endpoint, long received, long size, double bytesPerSecond) {
        long got = Math.max(0, received);
        int filled = size <= 0 ? 0 : (int) Math.min(BAR_WIDTH, got * BAR_WIDTH / size);
        String bar = "=".repeat(filled) + (filled < BAR_WIDTH ? ">" + " ".repeat(BAR_WIDTH - filled - 1) : "");
        String speed = bytesPerSecond > 0 ? "  " + TraceListener.bytes((long) bytesPerSecond) + "/s" : "";
        return shortDigest(digest) + "  " + host(endpoint) + "  [" + bar + "]  " + TraceListener.bytes(got) + " / "
                + TraceListener.bytes(size) + speed;
    }

    private static String host(String endpoint) {
        try {
            String authority = URI.create(endpoint).getRawAuthority();
            return authority != null ? authority : endpoint;
        } catch (IllegalArgumentException e) {
            return endpoint;
        }
    }

    private void redraw() {
        erase();
        draw();
    }

    private void draw() {
        if (!terminal) {
            return;
        }
        for (Bar b : bars.values()) {
            double seconds = (b.lastNanos - b.baseNanos) / 1e9;
            double speed = b.baseReceived >= 0 && seconds > 0 ? (b.received - b.baseReceived) / seconds : 0;
            err.print(Printable.escape(barLine(b.digest, b.endpoint, b.received, b.size, speed)));
            Output.control(err, "\033[K");
            err.print('\n');
        }
        drawnLines = bars.size();
        lastDraw = clock.getAsLong();
        err.flush();
    }

    /** Moves the cursor up over the bars drawn last and clears from there to the end of the screen. */
    private void erase() {
        if (terminal && drawnLines > 0) {
            Output.control(err, "\r\033[" + drawnLines + "A\033[J");
            err.flush();
        }
        drawnLines = 0;
    }

    private void println(String line) {
        err.println(line);
        err.flush();
    }
}
