package dev.jpull.internal.http;

import java.util.ArrayList;
import java.util.List;
import okhttp3.Call;

/**
 * The HTTP calls of one attempt (a registry request, the token fetch answering its 401, its redirects and its
 * body), so that another thread can cancel them all at once, and see when the attempt last made progress. The
 * executor runs each attempt {@linkplain #run inside} a scope; {@link Transport} adds every call it sends on the
 * current thread to the current scope, and marks progress when a response arrives; a body reader marks progress
 * per chunk. Cancelling makes a pending {@code execute()} or a blocked body read fail with an
 * {@link java.io.IOException}, and any later call of the scope fail at once. Thread-safe.
 */
public final class CallScope {
    private static final ThreadLocal<CallScope> CURRENT = new ThreadLocal<>();

    private final List<Call> calls = new ArrayList<>();
    private boolean cancelled;
    private volatile long progressNanos = System.nanoTime();

    /** A piece of work that may throw {@code E}. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    /** The scope of the attempt running on this thread, or null outside one. */
    public static CallScope current() {
        return CURRENT.get();
    }

    /** Runs {@code work} with this scope current on this thread (restoring the previous one afterwards). */
    public <T, E extends Exception> T run(Work<T, E> work) throws E {
        CallScope previous = CURRENT.get();
        CURRENT.set(this);
        try {
            return work.run();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** Adds a call about to be executed; cancels it at once when the scope is already cancelled. */
    void add(Call call) {
        boolean late;
        synchronized (this) {
            late = cancelled;
            if (!late) {
                calls.removeIf(Call::isCanceled);
                calls.add(call);
            }
        }
        if (late) {
            call.cancel();
        }
    }

    /** Cancels every call of the scope, in flight or to come. */
    public void cancel() {
        List<Call> now;
        synchronized (this) {
            cancelled = true;
            now = List.copyOf(calls);
            calls.clear();
        }
        now.forEach(Call::cancel);
    }

    /** True once {@link #cancel()} was called. */
    public synchronized boolean cancelled() {
        return cancelled;
    }

    /** Records progress: a response or a body chunk arrived. */
    public void progressed() {
        progressNanos = System.nanoTime();
    }

    /** When the attempt last made progress ({@link System#nanoTime()}; its start when it made none). */
    public long progressNanos() {
        return progressNanos;
    }
}
