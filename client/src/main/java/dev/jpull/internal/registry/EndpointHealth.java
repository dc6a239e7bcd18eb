package dev.jpull.internal.registry;

import dev.jpull.Endpoint;
import dev.jpull.FailoverPolicy;
import dev.jpull.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one pull knows about its endpoints, and the order a new request tries them in: endpoints that failed in a
 * way the policy calls unhealthy, that are still throttled, that lost a hedge, or that earlier pulls remember as
 * failing (until this pull sees them answer) go behind the others. Also what the pull observed per endpoint (last
 * outcome, times to response headers, body throughput from {@link BodyWatch}) for {@link EndpointMemory}.
 * Thread-safe.
 */
final class EndpointHealth {
    private final List<Endpoint> plan;
    private final FailoverPolicy policy;
    private final RegistryExecutor.Clock clock;
    private final Map<String, EndpointStats> remembered;
    private final Set<String> unhealthy = ConcurrentHashMap.newKeySet();
    private final Set<String> demoted = ConcurrentHashMap.newKeySet();
    private final Set<String> answered = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> throttledUntil = new ConcurrentHashMap<>();
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private volatile long slowestHeadersMillis;

    /** What this pull saw of one endpoint. */
    private static final class Seen {
        volatile Outcome last;
        volatile long atMillis;
        volatile long fastestHeadersMillis = -1;
        volatile long bytesPerSecond = -1;
    }

    EndpointHealth(List<Endpoint> plan, FailoverPolicy policy, RegistryExecutor.Clock clock,
                   Map<String, EndpointStats> remembered) {
        this.plan = List.copyOf(plan);
        this.policy = policy;
        this.clock = clock;
        this.remembered = Map.copyOf(remembered);
        long slowest = 0;
        for (Endpoint e : plan) {
            EndpointStats s = remembered.get(e.baseUrl());
            if (s != null && s.healthy() && s.rttMillis() > slowest) {
                slowest = s.rttMillis();
            }
        }
        this.slowestHeadersMillis = slowest;
    }

    /** The plan in the order a new request tries it ({@link FailoverPolicy#order}). */
    List<Endpoint> order() {
        long now = clock.nanoTime();
        return policy.order(plan, e -> triedLast(e, now));
    }

    /** True when a new request tries {@code endpoint} only after the others (unhealthy, throttled, demoted...). */
    boolean triedLast(Endpoint endpoint) {
        return triedLast(endpoint, clock.nanoTime());
    }

    private boolean triedLast(Endpoint e, long now) {
        String url = e.baseUrl();
        Long until = throttledUntil.get(url);
        EndpointStats before = remembered.get(url);
        return unhealthy.contains(url) || demoted.contains(url) || until != null && until - now > 0
                || before != null && !before.healthy() && !answered.contains(url);
    }

    /** Carries out the policy's verdict on a failure of {@code endpoint}. */
    void failed(Endpoint endpoint, Outcome outcome, FailoverPolicy.Verdict verdict) {
        if (verdict.unhealthy()) {
            unhealthy.add(endpoint.baseUrl());
        }
        if (verdict.avoidFor() != null) {
            throttledUntil.put(endpoint.baseUrl(), clock.nanoTime() + verdict.avoidFor().toNanos());
        }
        Seen s = see(endpoint.baseUrl());
        s.last = outcome;
        s.atMillis = System.currentTimeMillis();
    }

    /** A request to {@code endpoint} succeeded: it is tried in plan order again (even if remembered as failing). */
    void succeeded(Endpoint endpoint) {
        String url = endpoint.baseUrl();
        answered.add(url);
        Seen s = see(url);
        s.last = Outcome.OK;
        s.atMillis = System.currentTimeMillis();
    }

    /** {@code endpoint} sent the response headers of a success {@code headersMillis} after the request. */
    void headers(Endpoint endpoint, long headersMillis) {
        Seen s = see(endpoint.baseUrl());
        if (s.fastestHeadersMillis < 0 || headersMillis < s.fastestHeadersMillis) {
            s.fastestHeadersMillis = headersMillis;
        }
        if (headersMillis > slowestHeadersMillis) {
            slowestHeadersMillis = headersMillis;
        }
    }

    /** {@code endpoint} was overtaken by a hedge to another one: it is tried last for the rest of the pull. */
    void overtaken(Endpoint endpoint) {
        demoted.add(endpoint.baseUrl());
        Seen s = see(endpoint.baseUrl());
        s.last = Outcome.HEDGED;
        s.atMillis = System.currentTimeMillis();
    }

    /** Body throughput of {@code endpoint} as measured by {@link BodyWatch}. */
    void throughput(String baseUrl, long bytesPerSecond) {
        see(baseUrl).bytesPerSecond = bytesPerSecond;
    }

    /** The longest time to response headers seen in this pull (or remembered), 0 when none. */
    long slowestHeadersMillis() {
        return slowestHeadersMillis;
    }

    /** What the pull saw per endpoint, for {@link EndpointMemory#remember}. */
    List<EndpointStats> observations() {
        List<EndpointStats> out = new ArrayList<>();
        for (Endpoint e : plan) {
            Seen s = seen.get(e.baseUrl());
            if (s != null && s.last != null) {
                out.add(new EndpointStats(e.baseUrl(), s.last, s.atMillis, s.fastestHeadersMillis, s.bytesPerSecond));
            }
        }
        return out;
    }

    private Seen see(String baseUrl) {
        return seen.computeIfAbsent(baseUrl, k -> new Seen());
    }
}
