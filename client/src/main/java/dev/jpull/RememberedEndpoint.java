package dev.jpull;

import java.time.Instant;
import java.util.Objects;

/**
 * What earlier pulls remember of one endpoint ({@link Jpull.Builder#endpointMemory}), as {@code jpull resolve}
 * shows it: a pull tries endpoints that were healthy first and does not wait on one that failed recently.
 *
 * @param baseUrl        the endpoint's {@link Endpoint#baseUrl()} (never credentials)
 * @param outcome        the last outcome there: {@link Outcome#OK} when its last request succeeded, else the failure
 * @param at             when that was
 * @param rttMillis      the shortest time to response headers observed, or -1 when none was
 * @param bytesPerSecond the body throughput observed, or -1 when none was measured
 */
public record RememberedEndpoint(String baseUrl, Outcome outcome, Instant at, long rttMillis, long bytesPerSecond) {
    public RememberedEndpoint {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(at, "at");
    }

    /**
     * True when its last request succeeded. An endpoint last seen {@link Outcome#HEDGED} (it had not answered when
     * a hedge to another endpoint did) is not: the next pull tries it after the healthy ones, not first.
     */
    public boolean healthy() {
        return outcome == Outcome.OK;
    }
}
