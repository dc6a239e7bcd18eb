package dev.jpull;

import java.util.Locale;

/**
 * Classification of one request attempt against one endpoint (docs/interface.md, {@code attempts[].outcome}):
 * {@code refused} (nothing listens, or the connection was dropped before an answer), {@code unreachable} (no route
 * to the host's network), {@code dns-error} (the host name does not resolve), and the rest.
 */
public enum Outcome {
    OK, NOT_FOUND, UNAUTHORIZED, FORBIDDEN, THROTTLED, SERVER_ERROR, TIMEOUT, REFUSED, UNREACHABLE, DNS_ERROR,
    TLS_ERROR, DIGEST_MISMATCH, TRUNCATED, PROTOCOL_ERROR;

    /** The wire/JSON spelling, e.g. {@code server-error}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public String toString() {
        return label();
    }
}
