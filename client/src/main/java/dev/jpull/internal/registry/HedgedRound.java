package dev.jpull.internal.registry;

import dev.jpull.Endpoint;
import dev.jpull.Outcome;
import dev.jpull.internal.http.CallScope;
import dev.jpull.internal.registry.RegistryExecutor.Hedgeable;
import dev.jpull.internal.registry.RegistryExecutor.Served;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.Response;

/**
 * One pass of a {@link Hedgeable} request over its candidate endpoints, hedged: the request goes to the first
 * candidate; when that one has made no progress (no response, not even a 401 on the way to a token) for the hedge
 * delay ({@link dev.jpull.Hedging#hedgeDelay}), the same request goes to the next candidate as well. The first
 * success is read; the other request is cancelled and recorded as {@link Outcome#HEDGED} (and an endpoint
 * overtaken by a later hedge is tried last for the rest of the pull). A failure moves on at once, as without
 * hedging. No hedge goes to an endpoint a new request would try last (unhealthy, overtaken, remembered as failing):
 * the request then waits for its endpoint's answer or failure. At most two requests are in flight; each ends by
 * its own header deadline, so every wait here is bounded.
 * Requests are sent on daemon worker threads; the winner is read on the caller's thread.
 */
final class HedgedRound<T> {
    private static final ExecutorService SENDERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "jpull-request");
        t.setDaemon(true);
        return t;
    });

    private final RegistryExecutor executor;
    private final Round round;
    private final Hedgeable<T> op;
    private final BlockingQueue<Launch> done = new LinkedBlockingQueue<>();

    HedgedRound(RegistryExecutor executor, Round round, Hedgeable<T> op) {
        this.executor = executor;
        this.round = round;
        this.op = op;
    }

    /** One request sent to one endpoint. */
    private final class Launch {
        final Endpoint endpoint;
        final long startNanos = System.nanoTime();
        final long clockStart = executor.clock().nanoTime();
        final CallScope scope = new CallScope();
        Response response;
        EndpointFailure failure;
        RuntimeException error;
        long headersMillis;
        boolean abandoned;

        Launch(Endpoint endpoint) {
            this.endpoint = endpoint;
        }

        void start() {
            SENDERS.execute(() -> {
                try {
                    Response r = scope.run(() -> op.send(endpoint));
                    synchronized (this) {
                        headersMillis = (System.nanoTime() - startNanos) / 1_000_000;
                        if (abandoned) {
                            r.close();
                            return;
                        }
                        response = r;
                    }
                } catch (EndpointFailure f) {
                    failure = f;
                } catch (RuntimeException e) {
                    error = e;
                }
                done.add(this);
            });
        }

        /** Cancels the request; a response that arrived or arrives is closed. */
        void abandon() {
            synchronized (this) {
                abandoned = true;
                if (response != null) {
                    response.close();
                    response = null;
                }
            }
            scope.cancel();
        }

        /** When the request last made progress (its start, or its last response on the way). */
        long quietSince() {
            return Math.max(startNanos, scope.progressNanos());
        }
    }

    /** The served value, or null when every candidate failed (the failures are in the round). */
    Served<T> run(List<Endpoint> candidates) {
        Deque<Endpoint> queue = new ArrayDeque<>(candidates);
        List<Launch> running = new ArrayList<>(2);
        try {
            while (true) {
                if (running.isEmpty()) {
                    if (queue.isEmpty()) {
                        return null;
                    }
                    T ready = op.prepare();
                    if (ready != null) {
                        return new Served<>(ready, queue.peek());
                    }
                    running.add(launch(queue.poll()));
                }
                Launch first = running.get(0);
                Launch next;
                if (running.size() == 1 && !queue.isEmpty() && !executor.health().triedLast(queue.peek())) {
                    long delay = executor.policy().hedging()
                            .hedgeDelay(executor.health().slowestHeadersMillis()).toNanos();
                    long wait = first.quietSince() + delay - System.nanoTime();
                    next = wait > 0 ? done.poll(wait, TimeUnit.NANOSECONDS) : null;
                    if (next == null) {
                        if (first.quietSince() + delay - System.nanoTime() <= 0) {
                            running.add(launch(queue.poll())); // no progress for the hedge delay: hedge
                        }
                        continue;
                    }
                } else {
                    next = done.take();
                }
                if (!running.remove(next)) {
                    continue; // abandoned earlier
                }
                if (next.error != null) {
                    throw next.error;
                }
                if (next.failure != null) {
                    round.failed(next.endpoint, next.failure, next.clockStart);
                    continue;
                }
                Served<T> served = won(next, running, queue);
                if (served != null) {
                    return served;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + round.target.label(), e);
        } finally {
            running.forEach(Launch::abandon);
        }
    }

    /** {@code winner} answered: cancels the other request, reads the winner; null when its body failed. */
    private Served<T> won(Launch winner, List<Launch> running, Deque<Endpoint> queue) {
        for (Launch loser : running) {
            loser.abandon();
            boolean loserWasFirst = loser.startNanos < winner.startNanos;
            round.overtaken(loser.endpoint, winner.endpoint, loser.clockStart, loserWasFirst);
            if (loserWasFirst) {
                queue.addLast(loser.endpoint); // still a candidate if the winner's body fails, but last
            } else {
                queue.addFirst(loser.endpoint); // not really tried: next in line
            }
        }
        running.clear();
        executor.health().headers(winner.endpoint, winner.headersMillis);
        Response response;
        synchronized (winner) {
            response = winner.response;
            winner.response = null;
        }
        try {
            T value = winner.scope.run(() -> op.read(winner.endpoint, response));
            return round.succeeded(winner.endpoint, value, winner.clockStart);
        } catch (EndpointFailure f) {
            round.failed(winner.endpoint, f, winner.clockStart);
            return null;
        }
    }

    private Launch launch(Endpoint endpoint) {
        Launch l = new Launch(endpoint);
        l.start();
        return l;
    }
}
