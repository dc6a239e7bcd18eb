package dev.jpull.internal.registry;

import dev.jpull.Attempt;
import dev.jpull.Endpoint;
import dev.jpull.FailoverPolicy;
import dev.jpull.Outcome;
import dev.jpull.Target;
import dev.jpull.internal.registry.RegistryExecutor.Served;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The bookkeeping of one request in {@link RegistryExecutor}: its failures so far, the endpoints to retry after a
 * round, the longest wait they asked for; and what a success, a failure or an overtaken hedge means for the report
 * ({@link Attempt}s, listener events) and for {@link EndpointHealth}. Used by one thread, the request's caller.
 */
/** The attempts of one request: failures so far, endpoints to retry after the round, the longest wait asked. */
final class Round {
    private final RegistryExecutor executor;
    final Target target;
    final List<Attempt> failures;
    final List<Endpoint> retry = new ArrayList<>();
    Duration asked;
    boolean hedged;

    Round(RegistryExecutor executor, Target target, List<Attempt> earlier) {
        this.executor = executor;
        this.target = target;
        this.failures = new ArrayList<>(earlier);
    }

    /** Starts the next round: the endpoints to retry, in plan order. */
    List<Endpoint> next() {
        List<Endpoint> again = List.copyOf(retry);
        retry.clear();
        asked = null;
        return again;
    }

    <T> Served<T> succeeded(Endpoint endpoint, T value, long startNanos) {
        executor.health().succeeded(endpoint);
        if (!failures.isEmpty() || hedged) {
            Attempt ok = new Attempt(endpoint.baseUrl(), target, Outcome.OK, 200, null,
                    executor.millisSince(startNanos));
            executor.record(ok);
            if (!failures.isEmpty()) {
                executor.listener().recovered(ok);
            }
        }
        return new Served<>(value, endpoint);
    }

    void failed(Endpoint endpoint, EndpointFailure f, long startNanos) {
        Attempt a = new Attempt(endpoint.baseUrl(), target, f.outcome(), f.status(), Advice.error(f, endpoint),
                executor.millisSince(startNanos));
        failures.add(a);
        executor.record(a);
        FailoverPolicy.Verdict verdict = executor.policy().onFailure(f.outcome(), f.retryAfter());
        executor.health().failed(endpoint, f.outcome(), verdict);
        executor.listener().attemptFailed(a);
        if (verdict.retry()) {
            retry.add(endpoint);
            Duration after = verdict.retryAfter();
            if (after != null && (asked == null || after.compareTo(asked) > 0)) {
                asked = after;
            }
        }
    }

    /** {@code loser} was cancelled because {@code winner} answered first: an attempt in the report. */
    void overtaken(Endpoint loser, Endpoint winner, long startNanos, boolean loserWasFirst) {
        Attempt a = new Attempt(loser.baseUrl(), target, Outcome.HEDGED, 0, (loserWasFirst
                ? "no answer yet when the hedge to " + winner.baseUrl() + " answered: cancelled"
                : "hedge cancelled: " + winner.baseUrl() + " answered first"), executor.millisSince(startNanos));
        executor.record(a);
        hedged = true;
        executor.listener().attemptFailed(a);
        if (loserWasFirst) {
            executor.health().overtaken(loser);
        }
    }
}
