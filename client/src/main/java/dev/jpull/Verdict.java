package dev.jpull;

import java.util.Locale;

/** Whether, and if not why not, one endpoint can serve the image ({@code jpull diagnose}, VERDICT column). */
public enum Verdict {
    /** The manifest HEAD answered 200: this endpoint can serve the image. */
    OK,
    /** The endpoint's host name does not resolve. */
    DNS_ERROR,
    /** TCP connect refused or no route: nothing listens there. */
    UNREACHABLE,
    /** TCP connect, TLS handshake or response did not complete in time. */
    TIMEOUT,
    /** TLS handshake failed: untrusted or mismatched certificate, or not TLS at all. */
    TLS_ERROR,
    /** Something answers HTTP there, but not the registry API at the endpoint's API root. */
    NOT_A_REGISTRY,
    /** 401: no credentials, credentials rejected, or the token service refused. */
    UNAUTHORIZED,
    /** 403 from the registry or its token service. */
    FORBIDDEN,
    /** The registry answers but does not have the repository or the tag/digest. */
    NOT_FOUND,
    /** 429. */
    THROTTLED,
    /** 5xx. */
    SERVER_ERROR,
    /** Any other answer the registry protocol does not allow here. */
    PROTOCOL_ERROR,
    /** The endpoint's {@code configs} entry is unusable (unreadable TLS files, bad {@code auth}). */
    CONFIG_ERROR;

    /** The spelling in output, e.g. {@code not-a-registry}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public String toString() {
        return label();
    }
}
