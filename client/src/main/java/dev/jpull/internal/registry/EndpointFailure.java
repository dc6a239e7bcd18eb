package dev.jpull.internal.registry;

import dev.jpull.Outcome;
import dev.jpull.Printable;

/**
 * One endpoint could not serve one request. Internal: the executor records it as an {@link dev.jpull.Attempt} and
 * moves the request to the next endpoint; what else follows from its outcome is the
 * {@link dev.jpull.FailoverPolicy}'s decision. The message never contains secrets, and the server text in it (error
 * bodies, headers, exception text) has its control characters escaped ({@link Printable}).
 */
public final class EndpointFailure extends Exception {
    private final Outcome outcome;
    private final int status;
    private final java.time.Duration retryAfter;

    public EndpointFailure(Outcome outcome, int status, String message) {
        this(outcome, status, message, (java.time.Duration) null);
    }

    /** A failure carrying the endpoint's {@code Retry-After} (429 or 503), null when it sent none. */
    public EndpointFailure(Outcome outcome, int status, String message, java.time.Duration retryAfter) {
        super(Printable.escape(message));
        this.outcome = outcome;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public EndpointFailure(Outcome outcome, int status, String message, Throwable cause) {
        super(Printable.escape(message), cause);
        this.outcome = outcome;
        this.status = status;
        this.retryAfter = null;
    }

    /** How long the endpoint asked us to wait ({@code Retry-After}), or null. */
    public java.time.Duration retryAfter() {
        return retryAfter;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** HTTP status, 0 when no response was received. */
    public int status() {
        return status;
    }
}
