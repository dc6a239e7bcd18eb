package dev.jpull.internal.http;

import java.time.Duration;

/**
 * A point in time (on {@link System#nanoTime()}) by which a whole exchange must have its answer, e.g. a registry
 * request together with the token fetch that answers its 401; {@link #NONE} for no limit.
 *
 * @param atNanos the deadline on {@link System#nanoTime()}'s scale; ignored when not {@code bounded}
 * @param limit   the duration the deadline was set from, for messages ({@link Duration#ZERO} when unbounded)
 * @param bounded false for {@link #NONE}
 */
public record Deadline(long atNanos, Duration limit, boolean bounded) {
    /** No deadline. */
    public static final Deadline NONE = new Deadline(0, Duration.ZERO, false);

    /** {@code limit} from now; {@link #NONE} when {@code limit} is zero (no limit). */
    public static Deadline after(Duration limit) {
        return limit.isZero() ? NONE : new Deadline(System.nanoTime() + limit.toNanos(), limit, true);
    }

    /** Time left, never negative; {@code null} when unbounded. */
    public Duration remaining() {
        if (!bounded) {
            return null;
        }
        long left = atNanos - System.nanoTime();
        return Duration.ofNanos(Math.max(0, left));
    }

    /** Milliseconds left, at least 1 (so that a timer is always armed), or 0 when unbounded. */
    public long remainingMillis() {
        return bounded ? Math.max(1, remaining().toMillis()) : 0;
    }

    /** True when bounded and passed. */
    public boolean passed() {
        return bounded && atNanos - System.nanoTime() <= 0;
    }
}
