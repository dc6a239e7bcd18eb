package dev.jpull.registry;

import dev.jpull.Attempt;
import dev.jpull.Outcome;
import dev.jpull.PullFailedException;
import dev.jpull.PullListener;
import dev.jpull.resolve.Endpoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs each registry operation against the endpoints of a plan, in order, until one succeeds (failover per
 * request). Endpoints that refused, timed out or answered 5xx are moved to the back for the rest of the pull, so a
 * dead mirror is paid for once. Every failure, and every success after a failure, is recorded as an
 * {@link Attempt} and reported to the listener. Thread-safe: one executor serves all requests of one pull.
 */
public final class RegistryExecutor {
    private final List<Endpoint> plan;
    private final PullListener listener;
    private final Set<String> unhealthy = ConcurrentHashMap.newKeySet();
    private final List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());

    public RegistryExecutor(List<Endpoint> plan, PullListener listener) {
        this.plan = List.copyOf(plan);
        this.listener = listener;
    }

    /** One operation against one endpoint. */
    @FunctionalInterface
    public interface Operation<T> {
        T run(Endpoint endpoint) throws EndpointFailure;
    }

    /** A result and the endpoint that produced it. */
    public record Served<T>(T value, Endpoint endpoint) {
    }

    /**
     * Runs {@code op} on each endpoint (healthy ones first, in plan order) until one succeeds.
     *
     * @param target {@code manifest <ref>} or {@code blob <digest>}, for the report
     * @throws PullFailedException when every endpoint failed, listing each endpoint and what it answered
     */
    public <T> Served<T> execute(String target, Operation<T> op) {
        List<Attempt> failures = new ArrayList<>();
        for (Endpoint endpoint : order()) {
            long start = System.nanoTime();
            try {
                T value = op.run(endpoint);
                if (!failures.isEmpty()) {
                    Attempt ok = new Attempt(endpoint.baseUrl(), target, Outcome.OK, 200, null, millisSince(start));
                    attempts.add(ok);
                    listener.recovered(ok);
                }
                return new Served<>(value, endpoint);
            } catch (EndpointFailure f) {
                Attempt a = new Attempt(endpoint.baseUrl(), target, f.outcome(), f.status(), f.getMessage(),
                        millisSince(start));
                failures.add(a);
                attempts.add(a);
                if (f.endpointUnhealthy()) {
                    unhealthy.add(endpoint.baseUrl());
                }
                listener.attemptFailed(a);
            }
        }
        throw new PullFailedException(target, failures);
    }

    /** Plan order, with endpoints known to be unhealthy moved to the back (still tried when nothing else is left). */
    List<Endpoint> order() {
        List<Endpoint> healthy = new ArrayList<>(plan.size());
        List<Endpoint> sick = new ArrayList<>();
        for (Endpoint e : plan) {
            (unhealthy.contains(e.baseUrl()) ? sick : healthy).add(e);
        }
        healthy.addAll(sick);
        return healthy;
    }

    /** Every recorded attempt so far, in the order they finished. */
    public List<Attempt> attempts() {
        synchronized (attempts) {
            return List.copyOf(attempts);
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
