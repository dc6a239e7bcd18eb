package dev.jpull;

import java.util.Locale;

/**
 * Classification of one request attempt against one endpoint (docs/interface.md, {@code attempts[].outcome}):
 * {@code refused} (nothing listens, or the connection was dropped before an answer), {@code unreachable} (no route
 * to the host's network), {@code dns-error} (the host name does not resolve), {@code hedged} (overtaken by the
 * same request to another endpoint and cancelled), {@code stalled} and {@code slow} (a body abandoned for another
 * endpoint, which continues it with {@code Range}), and the rest.
 */
public enum Outcome {
    OK, NOT_FOUND, UNAUTHORIZED, FORBIDDEN, THROTTLED, SERVER_ERROR, TIMEOUT, REFUSED, UNREACHABLE, DNS_ERROR,
    TLS_ERROR, DIGEST_MISMATCH, TRUNCATED, PROTOCOL_ERROR,
    /** A request overtaken by the same request to another endpoint (a hedge) and cancelled; not a fault. */
    HEDGED,
    /** A body that stopped delivering while another endpoint could take over: abandoned, resumed elsewhere. */
    STALLED,
    /** A body far slower than another endpoint of the same pull: moved there with {@code Range}. */
    SLOW;

    /** The wire/JSON spelling, e.g. {@code server-error}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public String toString() {
        return label();
    }
}
