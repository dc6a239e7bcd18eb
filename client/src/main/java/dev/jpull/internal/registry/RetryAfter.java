package dev.jpull.internal.registry;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.DateTimeException;

/** Parses {@code Retry-After}: delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
final class RetryAfter {
    /** Longest delay taken from a server: more would overflow time arithmetic and is never waited for anyway. */
    static final Duration MAX = Duration.ofDays(1);

    private RetryAfter() {
    }

    /**
     * The delay from {@code now}, or null when the header is absent or unparseable (a negative number,
     * garbage). Never negative, at most {@link #MAX}.
     */
    static Duration parse(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? null : Duration.ofSeconds(Math.min(seconds, MAX.getSeconds()));
        } catch (NumberFormatException notSeconds) {
            if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return MAX; // delay-seconds beyond a long: as long as anything
            }
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(now, at);
                return d.isNegative() ? Duration.ZERO : d.compareTo(MAX) > 0 ? MAX : d;
            } catch (DateTimeException notDate) {
                return null;
            }
        }
    }
}
