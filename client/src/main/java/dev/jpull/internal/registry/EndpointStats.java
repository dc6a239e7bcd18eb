package dev.jpull.internal.registry;

import dev.jpull.Outcome;
import java.util.Objects;

/**
 * What one endpoint did in a pull, or what earlier pulls remember of it ({@link EndpointMemory}).
 *
 * @param baseUrl        the endpoint's base URL (scheme, host, port, path prefix; no credentials)
 * @param outcome        the last outcome seen there: {@link Outcome#OK} once a request succeeded and none failed
 *                       after it, else the last failure
 * @param atMillis       when that was (epoch milliseconds)
 * @param rttMillis      the shortest time to response headers observed, or -1 when none was observed
 * @param bytesPerSecond body throughput observed (all bodies from the endpoint together), or -1 when not measured
 */
public record EndpointStats(String baseUrl, Outcome outcome, long atMillis, long rttMillis, long bytesPerSecond) {
    public EndpointStats {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(outcome, "outcome");
    }

    /**
     * True when its last request succeeded. An endpoint last seen {@link Outcome#HEDGED} (it had not answered when
     * a hedge to another endpoint did) is not: the next pull tries it after the healthy ones, not first.
     */
    public boolean healthy() {
        return outcome == Outcome.OK;
    }
}
