package dev.jpull;

import java.time.Duration;
import java.util.Objects;

/**
 * Timeouts for every stage of a request, and the low-speed limit of response bodies.
 *
 * @param connect    TCP connect
 * @param tls        TLS handshake (OkHttp counts it in connect; kept apart for documentation and diagnose)
 * @param headers    from request sent to response headers received; for a registry request this is one deadline
 *                   for the whole exchange (the request, a token fetch answering its 401, the retried request and
 *                   every redirect together)
 * @param idleRead   maximum gap between two reads of a body (bytes must keep arriving)
 * @param speedLimit low-speed limit in bytes per second (curl's {@code --speed-limit}): a body (manifest, blob,
 *                   token, error) that delivers fewer than {@code speedLimit × speedTime} bytes in a
 *                   {@code speedTime} window fails like a stalled one; 0 turns the check off
 * @param speedTime  the window of the low-speed check (curl's {@code --speed-time}); zero turns the check off
 */
public record Timeouts(Duration connect, Duration tls, Duration headers, Duration idleRead, long speedLimit,
                       Duration speedTime) {
    /** Default low-speed limit: 1 KiB/s... */
    public static final long DEFAULT_SPEED_LIMIT = 1024;
    /** ...over 30 s. */
    public static final Duration DEFAULT_SPEED_TIME = Duration.ofSeconds(30);

    public static final Timeouts DEFAULTS = new Timeouts(
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(15));

    public Timeouts {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(idleRead, "idleRead");
        Objects.requireNonNull(speedTime, "speedTime");
        if (speedLimit < 0 || speedTime.isNegative()) {
            throw new IllegalArgumentException("low-speed limit and time must not be negative");
        }
    }

    /** The stage timeouts with the default low-speed limit ({@value #DEFAULT_SPEED_LIMIT} bytes/s for 30 s). */
    public Timeouts(Duration connect, Duration tls, Duration headers, Duration idleRead) {
        this(connect, tls, headers, idleRead, DEFAULT_SPEED_LIMIT, DEFAULT_SPEED_TIME);
    }

    /** These timeouts with another low-speed limit; {@code 0} for either turns the check off. */
    public Timeouts withLowSpeedLimit(long bytesPerSecond, Duration window) {
        return new Timeouts(connect, tls, headers, idleRead, bytesPerSecond, window);
    }

    /** True when bodies are checked against the low-speed limit. */
    public boolean lowSpeedLimited() {
        return speedLimit > 0 && !speedTime.isZero();
    }
}
