package dev.jpull.internal.registry;

import dev.jpull.Endpoint;
import dev.jpull.Hedging;
import dev.jpull.Outcome;
import dev.jpull.internal.http.CallScope;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Watches the blob bodies of one pull while they stream, and abandons one (cancels its {@link CallScope}, so
 * the reader fails and the executor continues the blob elsewhere with {@code Range}) by the {@link Hedging} rules:
 * <ul>
 *   <li>{@link Outcome#STALLED}: nothing arrived for {@link Hedging#stalled a while};</li>
 *   <li>{@link Outcome#SLOW}: another endpoint of the pull was measured {@link Hedging#slowFactor} times faster;</li>
 *   <li>{@link Outcome#HEDGED} (a probe, once per pull): the endpoint's bodies would take long at its rate and the
 *       next endpoint has not been measured: the body with most bytes left moves there, so both are measured.</li>
 * </ul>
 * Only while another endpoint is left that a request would try first. Throughput is measured per endpoint (all of
 * its bodies together) over the last second, every {@value #TICK_MILLIS} ms. Thread-safe.
 */
final class BodyWatch {
    static final long TICK_MILLIS = 100;
    private static final ScheduledExecutorService TICKER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jpull-body-watch");
        t.setDaemon(true);
        return t;
    });

    private final List<Endpoint> plan;
    private final Hedging hedging;
    private final EndpointHealth health;
    private final Set<Body> bodies = ConcurrentHashMap.newKeySet();
    private final Map<String, Throughput> meters = new ConcurrentHashMap<>();
    private final AtomicBoolean probed = new AtomicBoolean();
    private ScheduledFuture<?> task;

    BodyWatch(List<Endpoint> plan, Hedging hedging, EndpointHealth health) {
        this.plan = List.copyOf(plan);
        this.hedging = hedging;
        this.health = health;
    }

    /**
     * Starts watching a body from {@code endpoint}, read through {@code scope}, at {@code offset} of {@code size};
     * null when there is nothing to watch for (hedging off, a single endpoint, no scope to cancel).
     */
    Body watch(Endpoint endpoint, CallScope scope, long offset, long size) {
        if (!hedging.enabled() || plan.size() < 2 || scope == null) {
            return null;
        }
        Body b = new Body(endpoint, scope, offset, size, meters.computeIfAbsent(endpoint.baseUrl(),
                k -> new Throughput()));
        bodies.add(b);
        synchronized (this) {
            if (task == null) {
                task = TICKER.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
        return b;
    }

    /** One body being read; {@link #received} by its reader, {@link #close closed} when the read ends. */
    final class Body implements AutoCloseable {
        private final Endpoint endpoint;
        private final CallScope scope;
        private final long size;
        private final Throughput meter;
        private final long startNanos = System.nanoTime();
        private final long offset;
        private volatile long position;
        private volatile long lastNanos = startNanos;
        private volatile long gapNanos;
        private volatile Outcome verdict;
        private volatile String reason;

        private Body(Endpoint endpoint, CallScope scope, long offset, long size, Throughput meter) {
            this.endpoint = endpoint;
            this.scope = scope;
            this.offset = offset;
            this.position = offset;
            this.size = size;
            this.meter = meter;
        }

        /** {@code n} more bytes arrived (called by the reader only). */
        void received(int n) {
            long now = System.nanoTime();
            long gap = now - lastNanos;
            gapNanos = gapNanos == 0 ? gap : (7 * gapNanos + gap) / 8;
            lastNanos = now;
            position += n;
            meter.add(n);
        }

        /** Why the body was abandoned, or null while it was not. */
        Outcome verdict() {
            return verdict;
        }

        /** The reason in words, for the attempt's error. */
        String reason() {
            return reason;
        }

        private void abandon(Outcome outcome, String why) {
            verdict = outcome;
            reason = why;
            bodies.remove(this);
            scope.cancel();
        }

        /** Ends the watch; a body that ended between ticks may measure its endpoint ({@link Throughput#bodyEnded}). */
        @Override
        public void close() {
            bodies.remove(this);
            if (meter.bodyEnded(position - offset, lastNanos - startNanos)) {
                health.throughput(endpoint.baseUrl(), Math.round(meter.rate()));
            }
        }
    }

    private void tick() {
        try {
            judgeAll();
        } catch (RuntimeException e) {
            // never let the periodic task die (a scheduled task that throws is not run again); the next tick retries
        }
    }

    private void judgeAll() {
        long now = System.nanoTime();
        Map<String, Long> remainingBy = new java.util.HashMap<>();
        for (Body b : bodies) {
            remainingBy.merge(b.endpoint.baseUrl(), b.size - b.position, Long::sum);
        }
        meters.forEach((url, m) -> {
            if (m.sample(now, remainingBy.containsKey(url))) {
                health.throughput(url, Math.round(m.rate()));
            }
        });
        for (Body b : bodies) {
            judge(b, now, remainingBy);
        }
        synchronized (this) {
            if (bodies.isEmpty() && task != null) {
                task.cancel(false);
                task = null;
            }
        }
    }

    private void judge(Body b, long now, Map<String, Long> remainingBy) {
        String url = b.endpoint.baseUrl();
        Endpoint other = alternative(b.endpoint);
        if (other == null) {
            return;
        }
        if (hedging.stalled(now - b.lastNanos, b.gapNanos)) {
            b.abandon(Outcome.STALLED, "no data for " + (now - b.lastNanos) / 1_000_000 + " ms, continued on "
                    + other.baseUrl());
            return;
        }
        Throughput own = meters.get(url);
        double rate = own == null ? -1 : own.rate();
        long remaining = b.size - b.position;
        Endpoint fastest = null;
        double best = -1;
        for (Endpoint e : plan) {
            Throughput m = meters.get(e.baseUrl());
            if (!e.equals(b.endpoint) && m != null && m.rate() > best && !health.triedLast(e)) {
                best = m.rate();
                fastest = e;
            }
        }
        // judged slow only on a settled rate: a body just moved here would otherwise be sent back at once
        if (fastest != null && own != null && own.settled() && hedging.slow(rate, best, remaining)) {
            b.abandon(Outcome.SLOW, "at " + mbps(rate) + " while " + fastest.baseUrl() + " delivers " + mbps(best)
                    + ", continued there");
            return;
        }
        Throughput next = meters.get(other.baseUrl());
        long endpointRemaining = remainingBy.getOrDefault(url, remaining);
        boolean flowing = now - b.lastNanos < 2 * TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS); // not a stall
        if (flowing && (next == null || next.rate() < 0) && hedging.probe(rate, endpointRemaining) && largest(b)
                && probed.compareAndSet(false, true)) {
            b.abandon(Outcome.HEDGED, "at " + mbps(rate) + " the rest takes "
                    + Math.round(endpointRemaining / rate) + " s; moved to " + other.baseUrl() + " to compare");
        }
    }

    /** True when {@code b} has the most bytes left of its endpoint's bodies. */
    private boolean largest(Body b) {
        for (Body o : bodies) {
            if (o.endpoint.equals(b.endpoint) && o.size - o.position > b.size - b.position) {
                return false;
            }
        }
        return true;
    }

    /** The first other endpoint a request would try first, or null. */
    private Endpoint alternative(Endpoint from) {
        for (Endpoint e : health.order()) {
            if (!e.equals(from) && !health.triedLast(e)) {
                return e;
            }
        }
        return null;
    }

    private static String mbps(double bytesPerSecond) {
        return String.format(java.util.Locale.ROOT, "%.1f MB/s", bytesPerSecond / 1e6);
    }
}
