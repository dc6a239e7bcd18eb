package dev.jpull.registry;

import dev.jpull.Attempt;
import dev.jpull.Outcome;
import dev.jpull.PullFailedException;
import dev.jpull.PullListener;
import dev.jpull.resolve.Endpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs each registry operation against the endpoints of a plan, in order, until one succeeds (failover per
 * request), and keeps endpoint health for the whole pull:
 * <ul>
 *   <li>an endpoint that refused, timed out, failed TLS or answered 5xx is tried last for the rest of the pull
 *       (still tried when nothing else is left), so a dead mirror is paid for once, not once per blob;</li>
 *   <li>an endpoint that answered 429 is avoided until its {@code Retry-After} has passed; the request moves to
 *       another endpoint at once, and waits only when no other endpoint is left;</li>
 *   <li>when every endpoint failed and some failures were transient (429, 5xx, a cut body), those endpoints are
 *       tried again, at most {@value #MAX_RETRY_ROUNDS} more times, after a backoff with jitter or the
 *       endpoint's {@code Retry-After} (up to {@link #MAX_WAIT}).</li>
 * </ul>
 * Every failure, and every success after a failure, is recorded as an {@link Attempt} and reported to the
 * listener. Thread-safe: one executor serves all requests of one pull. Only GET/HEAD operations run here.
 */
public final class RegistryExecutor {
    static final int MAX_RETRY_ROUNDS = 2;
    static final Duration MAX_WAIT = Duration.ofSeconds(30);
    private static final Duration BASE_BACKOFF = Duration.ofMillis(200);

    private final List<Endpoint> plan;
    private final PullListener listener;
    private final Set<String> unhealthy = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> throttledUntil = new ConcurrentHashMap<>();
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
        return execute(target, op, List.of());
    }

    /**
     * As {@link #execute(String, Operation)}, continuing after {@code earlier} failed attempts for the same
     * target (e.g. a resumed blob download): a success is then reported as a recovery, and a failure lists them.
     */
    public <T> Served<T> execute(String target, Operation<T> op, List<Attempt> earlier) {
        List<Attempt> failures = new ArrayList<>(earlier);
        List<Endpoint> candidates = order();
        for (int round = 0; ; round++) {
            List<Endpoint> retry = new ArrayList<>();
            Duration wait = backoff(round);
            for (Endpoint endpoint : candidates) {
                long start = System.nanoTime();
                try {
                    T value = op.run(endpoint);
                    if (!failures.isEmpty()) {
                        Attempt ok = new Attempt(endpoint.baseUrl(), target, Outcome.OK, 200, null,
                                millisSince(start));
                        attempts.add(ok);
                        listener.recovered(ok);
                    }
                    return new Served<>(value, endpoint);
                } catch (EndpointFailure f) {
                    Attempt a = new Attempt(endpoint.baseUrl(), target, f.outcome(), f.status(), f.getMessage(),
                            millisSince(start));
                    failures.add(a);
                    attempts.add(a);
                    remember(endpoint, f);
                    listener.attemptFailed(a);
                    if (f.retryable()) {
                        retry.add(endpoint);
                        if (f.retryAfter() != null && f.retryAfter().compareTo(wait) > 0) {
                            wait = f.retryAfter();
                        }
                    }
                }
            }
            if (retry.isEmpty() || round >= MAX_RETRY_ROUNDS) {
                throw new PullFailedException(target, failures);
            }
            if (wait.compareTo(MAX_WAIT) > 0) {
                throw new PullFailedException(target, failures, "failed on every endpoint, and the endpoints ask "
                        + "to wait " + wait.toSeconds() + "s (longer than " + MAX_WAIT.toSeconds() + "s): "
                        + new PullFailedException(target, failures).getMessage());
            }
            sleep(wait);
            candidates = retry;
        }
    }

    private void remember(Endpoint endpoint, EndpointFailure f) {
        if (f.endpointUnhealthy()) {
            unhealthy.add(endpoint.baseUrl());
        }
        if (f.outcome() == Outcome.THROTTLED) {
            Duration d = f.retryAfter() != null ? f.retryAfter() : Duration.ofSeconds(1);
            throttledUntil.put(endpoint.baseUrl(), System.nanoTime() + d.toNanos());
        }
    }

    /**
     * Plan order, with endpoints known to be unhealthy or still throttled moved to the back (they are still
     * tried when nothing else is left).
     */
    List<Endpoint> order() {
        long now = System.nanoTime();
        List<Endpoint> good = new ArrayList<>(plan.size());
        List<Endpoint> bad = new ArrayList<>();
        for (Endpoint e : plan) {
            Long until = throttledUntil.get(e.baseUrl());
            boolean throttled = until != null && until - now > 0;
            (unhealthy.contains(e.baseUrl()) || throttled ? bad : good).add(e);
        }
        good.addAll(bad);
        return good;
    }

    /** Every recorded attempt so far, in the order they finished. */
    public List<Attempt> attempts() {
        synchronized (attempts) {
            return List.copyOf(attempts);
        }
    }

    private static Duration backoff(int round) {
        long base = BASE_BACKOFF.toMillis() << (2 * round);
        return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
