package dev.jpull.http;

import java.time.Duration;

/**
 * Timeouts for every stage of a request.
 *
 * @param connect  TCP connect
 * @param tls      TLS handshake (OkHttp counts it in connect; kept apart for documentation and diagnose)
 * @param headers  from request sent to response headers received
 * @param idleRead maximum gap between two reads of a body (bytes must keep arriving)
 */
public record Timeouts(Duration connect, Duration tls, Duration headers, Duration idleRead) {
    public static final Timeouts DEFAULTS = new Timeouts(
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(15));
}
