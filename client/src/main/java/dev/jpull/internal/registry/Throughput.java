package dev.jpull.internal.registry;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The body throughput of one endpoint in one pull, all of its bodies together: readers {@linkplain #add add} bytes,
 * {@link BodyWatch}'s ticker {@linkplain #sample samples} the total once per tick while the endpoint has a body in
 * flight, and the rate is measured over the last {@value #WINDOW} samples (one second at 100 ms ticks) once there
 * are more than {@value #MIN_SAMPLES}. An idle endpoint keeps its last rate; its next body starts a new window. A
 * body that ends between two ticks (a fast endpoint, a small blob) can give its own average instead
 * ({@link #bodyEnded}). Thread-safe: many readers, one sampler.
 */
final class Throughput {
    /** Samples kept: one second of ticks. */
    static final int WINDOW = 10;
    /** Samples needed before a rate counts. */
    static final int MIN_SAMPLES = 3;
    /** A body at least this long that ends between ticks measures its endpoint by itself. */
    static final long MEASURABLE = 64 * 1024;

    private final AtomicLong bytes = new AtomicLong();
    private final long[] sampleBytes = new long[WINDOW + 1];
    private final long[] sampleNanos = new long[WINDOW + 1];
    private volatile int samples;
    private volatile double rate = -1;

    /** {@code n} more body bytes arrived. */
    void add(int n) {
        bytes.addAndGet(n);
    }

    /**
     * One tick at {@code now}: {@code active} when the endpoint has a body in flight. Returns true when the rate
     * was measured anew.
     */
    boolean sample(long now, boolean active) {
        if (!active) {
            samples = 0;
            return false;
        }
        int n = samples;
        if (n == WINDOW + 1) {
            System.arraycopy(sampleBytes, 1, sampleBytes, 0, WINDOW);
            System.arraycopy(sampleNanos, 1, sampleNanos, 0, WINDOW);
            n--;
        }
        sampleBytes[n] = bytes.get();
        sampleNanos[n] = now;
        samples = ++n;
        if (n <= MIN_SAMPLES) {
            return false;
        }
        long nanos = sampleNanos[n - 1] - sampleNanos[0];
        if (nanos <= 0) {
            return false;
        }
        rate = (sampleBytes[n - 1] - sampleBytes[0]) * 1e9 / nanos;
        return true;
    }

    /**
     * A body of {@code bodyBytes} that took {@code nanos} ended: when no window measures the endpoint now and the
     * body is long enough to say something, its average becomes the rate. Returns true when it did.
     */
    boolean bodyEnded(long bodyBytes, long nanos) {
        if (bodyBytes >= MEASURABLE && nanos > 0 && samples <= MIN_SAMPLES) {
            rate = bodyBytes * 1e9 / nanos;
            return true;
        }
        return false;
    }

    /**
     * True once the current window spans a full second: a rate from the first few ticks of a new connection is TCP
     * slow start's, not the endpoint's, and must not get the endpoint judged slow.
     */
    boolean settled() {
        return samples == WINDOW + 1;
    }

    /** Bytes per second, or -1 while not measured. */
    double rate() {
        return rate;
    }
}
