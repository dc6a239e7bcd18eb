package dev.jpull;

import java.time.Duration;
import java.util.Objects;

/**
 * When a request does not wait for a slow endpoint (README, "How jpull fails over"), a component of
 * {@link FailoverPolicy}. Three rules, all pure functions of what the pull observed:
 * <ul>
 *   <li><b>hedge</b>: a GET whose endpoint made no progress (no response, not even a 401) for the
 *       {@linkplain #hedgeDelay hedge delay} is sent to the next endpoint as well; the first to answer is used and
 *       the other cancelled (at most one extra request in flight per request);</li>
 *   <li><b>stall</b>: a blob body that delivered nothing for {@linkplain #stalled a while} is abandoned, and the next
 *       endpoint continues it with {@code Range};</li>
 *   <li><b>slow</b>: a blob body from an endpoint measured {@link #slowFactor} times slower than another endpoint of
 *       the same pull is moved there with {@code Range} ({@linkplain #slow}), and an endpoint whose bodies would
 *       take long is compared with the next one by moving one body there ({@linkplain #probe}).</li>
 * </ul>
 * The stall and slow rules apply only while another endpoint is left to take over.
 *
 * @param delay      the hedge delay, or its floor when {@code adaptive} (default 300 ms); {@link Duration#ZERO}
 *                   turns all three rules off
 * @param adaptive   raise the delay to twice the slowest time to response headers seen in the pull or remembered
 *                   from earlier pulls (at most 10 s)
 * @param stall      a body silent this long (or 8 times its usual gap between chunks, if longer) is stalled
 *                   (default 1 s); {@link Duration#ZERO}: never
 * @param slowFactor how many times faster another endpoint must be for a body to move (default 3; 0: never)
 */
public record Hedging(Duration delay, boolean adaptive, Duration stall, int slowFactor) {
    /** jpull's behaviour: adaptive, at least 300 ms; stall after 1 s of silence; move bodies to a 3 times faster endpoint. */
    public static final Hedging DEFAULT = new Hedging(Duration.ofMillis(300), true, Duration.ofSeconds(1), 3);
    /** One request at a time: failover only after a failure or timeout. */
    public static final Hedging OFF = new Hedging(Duration.ZERO, false, Duration.ZERO, 0);

    private static final long MAX_ADAPTIVE_MILLIS = 10_000;
    /** A body whose remainder would take longer than this at its rate is worth comparing with the next endpoint. */
    private static final long PROBE_AFTER_MILLIS = 2_000;
    /** ...and worth moving to a faster endpoint. */
    private static final long MOVE_AFTER_MILLIS = 1_000;

    /** @throws IllegalArgumentException for a negative duration or factor, or a factor of 1 */
    public Hedging {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(stall, "stall");
        if (delay.isNegative() || stall.isNegative() || slowFactor < 0 || slowFactor == 1) {
            throw new IllegalArgumentException("hedge durations must not be negative, the slow factor 0 or > 1");
        }
    }

    /** A fixed hedge delay ({@link Duration#ZERO}: off), with the default stall and slow rules unless it is zero. */
    public static Hedging fixed(Duration delay) {
        return delay.isZero() ? OFF : new Hedging(delay, false, DEFAULT.stall, DEFAULT.slowFactor);
    }

    /** False for {@link #OFF}: requests then go to one endpoint at a time. */
    public boolean enabled() {
        return !delay.isZero();
    }

    /**
     * How long a request waits for progress before it is sent to the next endpoint too.
     *
     * @param slowestHeadersMillis the longest time to response headers observed so far (in this pull, or
     *                             remembered), or -1 when none was
     */
    public Duration hedgeDelay(long slowestHeadersMillis) {
        if (!adaptive || slowestHeadersMillis <= 0) {
            return delay;
        }
        long raised = Math.min(MAX_ADAPTIVE_MILLIS, 2 * slowestHeadersMillis);
        return raised > delay.toMillis() ? Duration.ofMillis(raised) : delay;
    }

    /** True when a body silent for {@code silentNanos}, whose chunks usually come {@code usualGapNanos} apart, stalled. */
    public boolean stalled(long silentNanos, long usualGapNanos) {
        if (!enabled() || stall.isZero()) {
            return false;
        }
        long limit = Math.max(stall.toNanos(), usualGapNanos > 0 && usualGapNanos < Long.MAX_VALUE / 8
                ? 8 * usualGapNanos : 0);
        return silentNanos > limit;
    }

    /**
     * True when a body with {@code remaining} bytes, arriving at {@code rate} bytes/s, should move to an endpoint
     * measured at {@code otherRate}: that one is {@link #slowFactor} times faster and the move saves time.
     */
    public boolean slow(double rate, double otherRate, long remaining) {
        return enabled() && slowFactor > 0 && rate > 0 && otherRate >= slowFactor * rate
                && remaining * 1000.0 / rate > MOVE_AFTER_MILLIS;
    }

    /**
     * True when an endpoint's bodies, {@code remaining} bytes at {@code rate} bytes/s together, would take long
     * enough that one of them should move to the next endpoint, whose rate is not known yet, to compare.
     */
    public boolean probe(double rate, long remaining) {
        return enabled() && slowFactor > 0 && rate > 0 && remaining * 1000.0 / rate > PROBE_AFTER_MILLIS;
    }
}
