package dev.jpull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * How a pull fails over between the endpoints of its plan (README, "How jpull fails over"), as one immutable value.
 * Every decision is a pure function of an outcome or of the state the caller passes in; the registry executor and
 * the blob download carry them out. {@link #DEFAULT} is jpull's behaviour; change it with the {@code with...}
 * methods and pass it to {@link Jpull.Builder#failoverPolicy}.
 *
 * @param retryRounds       how many more times the endpoints whose failures were {@code retryable} are tried
 *                          when every endpoint failed (default 2)
 * @param backoff           pause before the first retry round (default 200 ms)
 * @param backoffMultiplier factor by which the pause grows per round (default 4: 200 ms, 800 ms)
 * @param jitter            up to this fraction of the pause is added at random (default 0.5)
 * @param retryable         outcomes worth another try on the same endpoint after a pause (default: throttled,
 *                          server-error, truncated)
 * @param unhealthy         outcomes that put the endpoint last for the rest of the pull (default: refused,
 *                          unreachable, dns-error, timeout, tls-error, server-error)
 * @param throttleDefault   how long a 429 without a usable {@code Retry-After} keeps its endpoint last (1 s)
 * @param maxWait           the longest pause jpull takes before a retry round; when the endpoints ask for more
 *                          ({@code Retry-After}) the request fails at once (default 30 s)
 * @param resumeRounds      extra rounds for a blob after every endpoint failed, while each round received more
 *                          bytes or threw a bad prefix away (default 5)
 * @param hedging           when a request also goes to the next endpoint, and when a body is abandoned for another
 *                          endpoint ({@link Hedging#DEFAULT}; {@link Hedging#OFF} for strictly one at a time)
 */
public record FailoverPolicy(int retryRounds, Duration backoff, int backoffMultiplier, double jitter,
                             Set<Outcome> retryable, Set<Outcome> unhealthy, Duration throttleDefault,
                             Duration maxWait, int resumeRounds, Hedging hedging) {

    /** jpull's behaviour. */
    public static final FailoverPolicy DEFAULT = new FailoverPolicy(2, Duration.ofMillis(200), 4, 0.5,
            EnumSet.of(Outcome.THROTTLED, Outcome.SERVER_ERROR, Outcome.TRUNCATED),
            EnumSet.of(Outcome.REFUSED, Outcome.UNREACHABLE, Outcome.DNS_ERROR, Outcome.TIMEOUT, Outcome.TLS_ERROR,
                    Outcome.SERVER_ERROR, Outcome.STALLED, Outcome.SLOW),
            Duration.ofSeconds(1), Duration.ofSeconds(30), 5, Hedging.DEFAULT);

    /** A policy with {@link Hedging#DEFAULT} hedging (the components before hedging was added). */
    public FailoverPolicy(int retryRounds, Duration backoff, int backoffMultiplier, double jitter,
                          Set<Outcome> retryable, Set<Outcome> unhealthy, Duration throttleDefault, Duration maxWait,
                          int resumeRounds) {
        this(retryRounds, backoff, backoffMultiplier, jitter, retryable, unhealthy, throttleDefault, maxWait,
                resumeRounds, Hedging.DEFAULT);
    }

    /** @throws IllegalArgumentException for negative counts or durations, or a jitter outside 0..1 */
    public FailoverPolicy {
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(throttleDefault, "throttleDefault");
        Objects.requireNonNull(maxWait, "maxWait");
        Objects.requireNonNull(hedging, "hedging");
        if (retryRounds < 0 || resumeRounds < 0 || backoffMultiplier < 1) {
            throw new IllegalArgumentException("retry and resume rounds must be at least 0, the multiplier 1");
        }
        if (backoff.isNegative() || throttleDefault.isNegative() || maxWait.isNegative()) {
            throw new IllegalArgumentException("failover durations must not be negative");
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, got " + jitter);
        }
        if (retryable.contains(Outcome.OK) || unhealthy.contains(Outcome.OK)) {
            throw new IllegalArgumentException("ok is not a failure");
        }
        retryable = Set.copyOf(retryable);
        unhealthy = Set.copyOf(unhealthy);
    }

    /** What to do with an endpoint after one failed attempt there. */
    public record Verdict(boolean retry, boolean unhealthy, Duration avoidFor, Duration retryAfter) {
    }

    /**
     * The decision after an attempt against one endpoint failed with {@code outcome}.
     *
     * @param retryAfter the endpoint's {@code Retry-After} (429 or 503), or null
     * @return {@code retry}: try the endpoint again in a later round, after at least {@code retryAfter} (null: the
     *         backoff alone); {@code unhealthy}: try it last for the rest of the pull; {@code avoidFor}: try it last
     *         until this long has passed (a 429), else null. The request itself always moves on to the next
     *         endpoint at once.
     */
    public Verdict onFailure(Outcome outcome, Duration retryAfter) {
        boolean retry = retryable.contains(outcome);
        Duration avoid = outcome == Outcome.THROTTLED ? (retryAfter != null ? retryAfter : throttleDefault) : null;
        return new Verdict(retry, unhealthy.contains(outcome), avoid, retry ? retryAfter : null);
    }

    /**
     * The order to try endpoints in for a new request: plan order, with those {@code triedLast} (unhealthy, or
     * still throttled) moved behind the others, still in plan order, so that they are tried only when nothing
     * else is left.
     */
    public <E> List<E> order(List<E> plan, Predicate<? super E> triedLast) {
        List<E> first = new ArrayList<>(plan.size());
        List<E> last = new ArrayList<>();
        for (E e : plan) {
            (triedLast.test(e) ? last : first).add(e);
        }
        first.addAll(last);
        return first;
    }

    /** What happens once every endpoint of a round failed. */
    public enum Next { RETRY, GIVE_UP, WAIT_TOO_LONG }

    /** The decision after a round, and how long to pause before the next one. */
    public record RoundEnd(Next next, Duration pause) {
    }

    /**
     * The decision once every candidate of round {@code round} (0 for the first pass over the plan) failed.
     *
     * @param anyRetryable      some failure of the round was {@link Verdict#retry()}
     * @param longestRetryAfter the longest {@link Verdict#retryAfter()} of the round, or null
     * @param random            a number in [0, 1) choosing the jitter
     */
    public RoundEnd afterRound(int round, boolean anyRetryable, Duration longestRetryAfter, double random) {
        Duration wait = backoff(round, random);
        if (longestRetryAfter != null && longestRetryAfter.compareTo(wait) > 0) {
            wait = longestRetryAfter;
        }
        if (!anyRetryable || round >= retryRounds) {
            return new RoundEnd(Next.GIVE_UP, wait);
        }
        return new RoundEnd(wait.compareTo(maxWait) > 0 ? Next.WAIT_TOO_LONG : Next.RETRY, wait);
    }

    /** The pause after round {@code round}: {@code backoff * multiplier^round}, plus up to {@code jitter} of it. */
    public Duration backoff(int round, double random) {
        long base = backoff.toMillis();
        for (int i = 0; i < round && base < Long.MAX_VALUE / backoffMultiplier; i++) {
            base *= backoffMultiplier;
        }
        long spread = (long) (base * jitter);
        return Duration.ofMillis(base + Math.min(spread, (long) (random * (spread + 1))));
    }

    /** Where a blob download stands: bytes kept, and how many resumed prefixes were thrown away as wrong. */
    public record ResumePoint(long offset, int rejectedPrefixes) {
    }

    /**
     * After every endpoint failed for a blob in resume round {@code round} (0 first): go round again when the
     * round made progress (more bytes kept) or threw a bad prefix away (a clean start deserves a round), at most
     * {@link #resumeRounds} times.
     */
    public boolean resumeAgain(int round, ResumePoint before, ResumePoint after) {
        boolean progressed = after.offset() > before.offset();
        boolean prefixDiscarded = before.offset() > 0 && after.offset() == 0
                || after.rejectedPrefixes() > before.rejectedPrefixes();
        return (progressed || prefixDiscarded) && round < resumeRounds;
    }

    /** How a blob answer is used. */
    public enum RangeAnswer {
        /** a 206 to {@code Range: bytes=N-}: appended to the N bytes kept, once its Content-Range starts at N */
        RESUME,
        /** a full body (200): the kept bytes are dropped and the blob starts over from byte 0 */
        START_OVER,
        /** anything else (a 206 nobody asked for, another 2xx to a Range): a protocol error, the bytes stay */
        REFUSE
    }

    /** The use of an answer with {@code status} to a blob request that asked for a Range or not. */
    public RangeAnswer rangeAnswer(boolean ranged, int status) {
        if (status == 206) {
            return ranged ? RangeAnswer.RESUME : RangeAnswer.REFUSE;
        }
        return status == 200 || !ranged ? RangeAnswer.START_OVER : RangeAnswer.REFUSE;
    }

    /** What went wrong with the body of a blob. */
    public enum BlobFault {
        /** the body ended early, failed or stalled */
        CUT,
        /** the body was longer than the descriptor's size */
        TOO_LONG,
        /** the complete body has the wrong digest */
        WRONG_DIGEST
    }

    /** What happens to the bytes kept for a blob. */
    public enum Keep {
        /** kept for a Range request on the next attempt */
        PREFIX,
        /** dropped: the next attempt starts from byte 0 */
        NOTHING,
        /** dropped, and from now on a cut body of this blob is dropped too (no more resuming) */
        NOTHING_AND_STOP_RESUMING
    }

    /**
     * The bytes kept after {@code fault}: a cut body keeps what arrived unless a resumed prefix of this blob was
     * already found wrong ({@code resumeTrusted} false); an over-long body drops everything; wrong content drops
     * everything, and when the attempt had resumed at {@code resumedAt > 0} stops trusting resumes.
     */
    public Keep afterBlobFault(BlobFault fault, long resumedAt, boolean resumeTrusted) {
        return switch (fault) {
            case CUT -> resumeTrusted ? Keep.PREFIX : Keep.NOTHING;
            case TOO_LONG -> Keep.NOTHING;
            case WRONG_DIGEST -> resumedAt > 0 ? Keep.NOTHING_AND_STOP_RESUMING : Keep.NOTHING;
        };
    }

    public FailoverPolicy withRetryRounds(int rounds) {
        return new FailoverPolicy(rounds, backoff, backoffMultiplier, jitter, retryable, unhealthy, throttleDefault,
                maxWait, resumeRounds, hedging);
    }

    public FailoverPolicy withBackoff(Duration first, int multiplier, double jitterFraction) {
        return new FailoverPolicy(retryRounds, first, multiplier, jitterFraction, retryable, unhealthy,
                throttleDefault, maxWait, resumeRounds, hedging);
    }

    public FailoverPolicy withRetryable(Set<Outcome> outcomes) {
        return new FailoverPolicy(retryRounds, backoff, backoffMultiplier, jitter, outcomes, unhealthy,
                throttleDefault, maxWait, resumeRounds, hedging);
    }

    public FailoverPolicy withUnhealthy(Set<Outcome> outcomes) {
        return new FailoverPolicy(retryRounds, backoff, backoffMultiplier, jitter, retryable, outcomes,
                throttleDefault, maxWait, resumeRounds, hedging);
    }

    public FailoverPolicy withThrottleDefault(Duration avoidFor) {
        return new FailoverPolicy(retryRounds, backoff, backoffMultiplier, jitter, retryable, unhealthy, avoidFor,
                maxWait, resumeRounds, hedging);
    }

    public FailoverPolicy withMaxWait(Duration max) {
        return new FailoverPolicy(retryRounds, backoff, backoffMultiplier, jitter, retryable, unhealthy,
                throttleDefault, max, resumeRounds, hedging);
    }

    public FailoverPolicy withResumeRounds(int rounds) {
        return new FailoverPolicy(retryRounds, backoff, backoffMultiplier, jitter, retryable, unhealthy,
                throttleDefault, maxWait, rounds, hedging);
    }

    public FailoverPolicy withHedging(Hedging h) {
        return new FailoverPolicy(retryRounds, backoff, backoffMultiplier, jitter, retryable, unhealthy,
                throttleDefault, maxWait, resumeRounds, h);
    }
}
