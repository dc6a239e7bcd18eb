package dev.jpull.internal.registry;

import dev.jpull.Attempt;
import dev.jpull.FailoverPolicy;
import dev.jpull.Outcome;
import dev.jpull.PullFailedException;
import dev.jpull.PullListener;
import dev.jpull.Target;
import dev.jpull.Endpoint;
import dev.jpull.internal.http.CallScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Runs each registry operation against the endpoints of a plan until one succeeds (failover per request), and keeps
 * endpoint health for the whole pull. What to do after each failure, in which order to try endpoints, whether and
 * how long to pause before another round, and whether a blob goes round again to resume, are decisions of the
 * {@link FailoverPolicy}; this class carries them out and keeps the state they are made on:
 * <ul>
 *   <li>the endpoints that failed in a way the policy calls unhealthy (refused, timeout, TLS, 5xx) are tried last
 *       for the rest of the pull (still tried when nothing else is left), so a dead mirror is paid for once;</li>
 *   <li>an endpoint that answered 429 is tried last until its {@code Retry-After} has passed; the request moves
 *       to another endpoint at once, and waits only when no other endpoint is left;</li>
 *   <li>when every endpoint failed and some failures were retryable, those endpoints are tried again after a
 *       backoff with jitter or their {@code Retry-After}, at most {@link FailoverPolicy#retryRounds()} times.</li>
 * </ul>
 * A {@link Hedgeable} request over more than one endpoint runs as a {@link HedgedRound} (a request that gets no
 * answer for the hedge delay goes to the next endpoint as well; the first answer wins), and every attempt runs in
 * its own {@link CallScope}, so that {@link BodyWatch} can cut a blob body that stalls or is far slower than
 * another endpoint's ({@link dev.jpull.Hedging}). Which endpoints go last, and what the pull saw of each, is
 * {@link EndpointHealth}'s (also from what earlier pulls remembered: {@link EndpointMemory}).
 * Every failure, every hedge and every success after either is recorded as an {@link Attempt} and reported to the
 * listener. Thread-safe: one executor serves all requests of one pull. Only GET/HEAD operations run here.
 */
public final class RegistryExecutor {
    private final List<Endpoint> plan;
    private final PullListener listener;
    private final FailoverPolicy policy;
    private final Clock clock;
    private final EndpointHealth health;
    private final BodyWatch bodies;
    private final List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());

    public RegistryExecutor(List<Endpoint> plan, PullListener listener) {
        this(plan, listener, FailoverPolicy.DEFAULT);
    }

    public RegistryExecutor(List<Endpoint> plan, PullListener listener, FailoverPolicy policy) {
        this(plan, listener, policy, Clock.SYSTEM);
    }

    /** @param remembered what earlier pulls saw of the plan's endpoints ({@link EndpointMemory#recall()}) */
    public RegistryExecutor(List<Endpoint> plan, PullListener listener, FailoverPolicy policy,
                            Map<String, EndpointStats> remembered) {
        this(plan, listener, policy, Clock.SYSTEM, remembered);
    }

    RegistryExecutor(List<Endpoint> plan, PullListener listener, FailoverPolicy policy, Clock clock) {
        this(plan, listener, policy, clock, Map.of());
    }

    RegistryExecutor(List<Endpoint> plan, PullListener listener, FailoverPolicy policy, Clock clock,
                     Map<String, EndpointStats> remembered) {
        this.plan = List.copyOf(plan);
        this.listener = listener;
        this.policy = policy;
        this.clock = clock;
        this.health = new EndpointHealth(plan, policy, clock, remembered);
        this.bodies = new BodyWatch(plan, policy.hedging(), health);
    }

    /** One attempt of an operation against one endpoint: a value, or the endpoint's failure. */
    @FunctionalInterface
    public interface Operation<T> {
        T run(Endpoint endpoint) throws EndpointFailure;
    }

    /**
     * An operation that can be hedged (a GET): its request is {@linkplain #send sent} to one endpoint, and to the
     * next as well when the first makes no progress for the hedge delay; only the first answer is
     * {@linkplain #read read}, the other request is cancelled.
     */
    public interface Hedgeable<T> extends Operation<T> {
        /**
         * Fixes the next request on the caller's thread, before it is sent anywhere (e.g. the offset a blob
         * continues at): {@link #send} must not read state that {@link #read} changes. Returns a value when there
         * is nothing to fetch (a blob an earlier attempt completed), else null.
         */
        T prepare();

        /** Sends the request to {@code endpoint}; may run on another thread; returns the 2xx response headers. */
        okhttp3.Response send(Endpoint endpoint) throws EndpointFailure;

        /** Reads (and closes) the winning response, on the caller's thread. */
        T read(Endpoint endpoint, okhttp3.Response response) throws EndpointFailure;

        @Override
        default T run(Endpoint endpoint) throws EndpointFailure {
            T ready = prepare();
            return ready != null ? ready : read(endpoint, send(endpoint));
        }
    }

    /** A result and the endpoint that produced it. */
    public record Served<T>(T value, Endpoint endpoint) {
    }

    /** Time as the executor sees it: a monotonic clock, pauses and jitter (a fake one in tests). */
    interface Clock {
        Clock SYSTEM = new Clock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(Duration d) throws InterruptedException {
                Thread.sleep(d.toMillis());
            }

            @Override
            public double random() {
                return ThreadLocalRandom.current().nextDouble();
            }
        };

        long nanoTime();

        void sleep(Duration d) throws InterruptedException;

        /** A number in [0, 1). */
        double random();
    }

    /** The policy this executor carries out. */
    public FailoverPolicy policy() {
        return policy;
    }

    /**
     * Runs {@code op} on each endpoint (in {@link #order()}) until one succeeds.
     *
     * @param target the manifest or blob fetched, for the report
     * @throws PullFailedException when every endpoint failed, listing each endpoint and what it answered
     */
    public <T> Served<T> execute(Target target, Operation<T> op) {
        return execute(target, op, List.of());
    }

    /**
     * As {@link #execute(Target, Operation)}, continuing after {@code earlier} failed attempts for the same
     * target (e.g. a resumed blob download): a success is then reported as a recovery, and a failure lists them.
     */
    public <T> Served<T> execute(Target target, Operation<T> op, List<Attempt> earlier) {
        Round round = new Round(this, target, earlier);
        List<Endpoint> candidates = order();
        for (int n = 0; ; n++) {
            Served<T> served = op instanceof Hedgeable<T> h && policy.hedging().enabled() && candidates.size() > 1
                    ? new HedgedRound<>(this, round, h).run(candidates)
                    : sequential(round, op, candidates);
            if (served != null) {
                return served;
            }
            List<Attempt> failures = round.failures;
            FailoverPolicy.RoundEnd end = policy.afterRound(n, !round.retry.isEmpty(), round.asked, clock.random());
            if (end.next() == FailoverPolicy.Next.GIVE_UP) {
                throw new PullFailedException(target, failures);
            }
            if (end.next() == FailoverPolicy.Next.WAIT_TOO_LONG) {
                throw new PullFailedException(target, failures, "failed on every endpoint, and the endpoints ask "
                        + "to wait " + end.pause().toSeconds() + "s (longer than " + policy.maxWait().toSeconds()
                        + "s): " + new PullFailedException(target, failures).getMessage());
            }
            sleep(end.pause());
            candidates = round.next();
        }
    }

    /** One endpoint at a time, each attempt in its own {@link CallScope} (so that a stalled body can be cut). */
    private <T> Served<T> sequential(Round round, Operation<T> op, List<Endpoint> candidates) {
        for (Endpoint endpoint : candidates) {
            long start = clock.nanoTime();
            try {
                T value = new CallScope().run(() -> op instanceof Hedgeable<T> h ? timed(h, endpoint)
                        : op.run(endpoint));
                return round.succeeded(endpoint, value, start);
            } catch (EndpointFailure f) {
                round.failed(endpoint, f, start);
            }
        }
        return null;
    }

    private <T> T timed(Hedgeable<T> op, Endpoint endpoint) throws EndpointFailure {
        T ready = op.prepare();
        if (ready != null) {
            return ready;
        }
        long start = System.nanoTime();
        okhttp3.Response response = op.send(endpoint);
        health.headers(endpoint, (System.nanoTime() - start) / 1_000_000);
        return op.read(endpoint, response);
    }

    EndpointHealth health() {
        return health;
    }

    /** The watch over this pull's blob bodies (stall and slow rules). */
    BodyWatch bodies() {
        return bodies;
    }

    Clock clock() {
        return clock;
    }

    PullListener listener() {
        return listener;
    }

    /** Records an attempt for the report. */
    void record(Attempt a) {
        attempts.add(a);
    }

    long millisSince(long startNanos) {
        return (clock.nanoTime() - startNanos) / 1_000_000;
    }

    /**
     * Runs a resumable operation (a blob download into a partial that outlives attempts): when every endpoint
     * failed, asks the policy whether to go round again from where {@code position} now stands
     * ({@link FailoverPolicy#resumeAgain}); a failure lists the attempts of every round.
     */
    public <T> Served<T> executeResuming(Target target, Operation<T> op,
                                         Supplier<FailoverPolicy.ResumePoint> position) {
        List<Attempt> failures = List.of();
        for (int round = 0; ; round++) {
            FailoverPolicy.ResumePoint before = position.get();
            try {
                return execute(target, op, failures);
            } catch (PullFailedException e) {
                if (!policy.resumeAgain(round, before, position.get())) {
                    throw e;
                }
                failures = e.attempts();
            }
        }
    }

    /** The plan in the order a new request tries it ({@link FailoverPolicy#order}). */
    List<Endpoint> order() {
        return health.order();
    }

    /** What this pull saw of each endpoint it sent a request to (for {@link EndpointMemory#remember}). */
    public List<EndpointStats> observations() {
        return health.observations();
    }

    /** Every recorded attempt so far, in the order they finished. */
    public List<Attempt> attempts() {
        synchronized (attempts) {
            return List.copyOf(attempts);
        }
    }

    private void sleep(Duration d) {
        try {
            clock.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }

}
