package dev.jpull.registry;

import dev.jpull.Outcome;

/**
 * One endpoint could not serve one request. Internal: the executor records it as an {@link dev.jpull.Attempt} and
 * moves the request to the next endpoint. The message never contains secrets.
 */
public final class EndpointFailure extends Exception {
    private final Outcome outcome;
    private final int status;

    public EndpointFailure(Outcome outcome, int status, String message) {
        super(message);
        this.outcome = outcome;
        this.status = status;
    }

    public EndpointFailure(Outcome outcome, int status, String message, Throwable cause) {
        super(message, cause);
        this.outcome = outcome;
        this.status = status;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** HTTP status, 0 when no response was received. */
    public int status() {
        return status;
    }

    /** True for failures that mark the endpoint unhealthy for the rest of the pull (refused, timeout, 5xx). */
    public boolean endpointUnhealthy() {
        return outcome == Outcome.REFUSED || outcome == Outcome.TIMEOUT || outcome == Outcome.SERVER_ERROR
                || outcome == Outcome.TLS_ERROR;
    }
}
