package dev.jpull.internal.auth;

import java.time.Instant;

/**
 * A bearer token and when to stop using it. {@link #toString()} hides the value.
 *
 * @param value     the token
 * @param expiresAt instant after which the token is not sent any more (already includes a safety margin)
 */
record Token(String value, Instant expiresAt) {

    boolean usableAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    String header() {
        return "Bearer " + value;
    }

    @Override
    public String toString() {
        return "Token[expiresAt=" + expiresAt + "]";
    }
}
