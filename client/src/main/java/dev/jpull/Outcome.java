package dev.jpull;

import java.util.Locale;

/** Classification of one request attempt against one endpoint (docs/interface.md, {@code attempts[].outcome}). */
public enum Outcome {
    OK, NOT_FOUND, UNAUTHORIZED, FORBIDDEN, THROTTLED, SERVER_ERROR, TIMEOUT, REFUSED, TLS_ERROR,
    DIGEST_MISMATCH, TRUNCATED, PROTOCOL_ERROR;

    /** The wire/JSON spelling, e.g. {@code server-error}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public String toString() {
        return label();
    }
}
