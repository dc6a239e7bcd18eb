package dev.jpull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpull.FailoverPolicy.BlobFault;
import dev.jpull.FailoverPolicy.Keep;
import dev.jpull.FailoverPolicy.Next;
import dev.jpull.FailoverPolicy.RangeAnswer;
import dev.jpull.FailoverPolicy.ResumePoint;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The decisions of {@link FailoverPolicy#DEFAULT}, one test per rule of README's "How jpull fails over" that the
 * policy decides (the executor carrying them out is {@code RegistryExecutorTest}'s).
 */
class FailoverPolicyTest {
    private static final FailoverPolicy P = FailoverPolicy.DEFAULT;
    private static final double NO_JITTER = 0;
    private static final double MOST_JITTER = Math.nextDown(1.0);

    @Test
    void theDefaultIsJpullsBehaviour() {
        assertThat(P.retryRounds()).isEqualTo(2);
        assertThat(P.backoff()).isEqualTo(Duration.ofMillis(200));
        assertThat(P.backoffMultiplier()).isEqualTo(4);
        assertThat(P.jitter()).isEqualTo(0.5);
        assertThat(P.retryable()).containsExactlyInAnyOrder(Outcome.THROTTLED, Outcome.SERVER_ERROR,
                Outcome.TRUNCATED);
        assertThat(P.unhealthy()).containsExactlyInAnyOrder(Outcome.REFUSED, Outcome.UNREACHABLE, Outcome.DNS_ERROR,
                Outcome.TIMEOUT, Outcome.TLS_ERROR, Outcome.SERVER_ERROR, Outcome.STALLED, Outcome.SLOW);
        assertThat(P.hedging()).isEqualTo(Hedging.DEFAULT);
        assertThat(P.throttleDefault()).isEqualTo(Duration.ofSeconds(1));
        assertThat(P.maxWait()).isEqualTo(Duration.ofSeconds(30));
        assertThat(P.resumeRounds()).isEqualTo(5);
    }

    @ParameterizedTest
    @EnumSource(value = Outcome.class, names = "OK", mode = EnumSource.Mode.EXCLUDE)
    void anEndpointThatRefusedTimedOutOrAnswered5xxIsTriedLastAndNoOtherFailurePutsItLast(Outcome outcome) {
        boolean expected = EnumSet.of(Outcome.REFUSED, Outcome.UNREACHABLE, Outcome.DNS_ERROR, Outcome.TIMEOUT,
                Outcome.TLS_ERROR, Outcome.SERVER_ERROR, Outcome.STALLED, Outcome.SLOW).contains(outcome);
        assertThat(P.onFailure(outcome, null).unhealthy()).isEqualTo(expected);
    }

    @Test
    void endpointsTriedLastGoBehindTheOthersStillInPlanOrder() {
        List<String> plan = List.of("a", "b", "c", "d");

        assertThat(P.order(plan, e -> e.equals("a") || e.equals("c"))).containsExactly("b", "d", "a", "c");
        assertThat(P.order(plan, e -> true)).containsExactly("a", "b", "c", "d");
        assertThat(P.order(plan, e -> false)).containsExactly("a", "b", "c", "d");
    }

    @ParameterizedTest
    @EnumSource(value = Outcome.class, names = "OK", mode = EnumSource.Mode.EXCLUDE)
    void onlyThrottlingServerErrorsAndCutBodiesAreTransientAndRetried(Outcome outcome) {
        boolean expected = EnumSet.of(Outcome.THROTTLED, Outcome.SERVER_ERROR, Outcome.TRUNCATED).contains(outcome);
        assertThat(P.onFailure(outcome, null).retry()).isEqualTo(expected);
    }

    @Test
    void a429IsHonouredPerEndpointForItsRetryAfterWithoutPuttingItAsideForGood() {
        FailoverPolicy.Verdict v = P.onFailure(Outcome.THROTTLED, Duration.ofSeconds(7));

        assertThat(v.avoidFor()).isEqualTo(Duration.ofSeconds(7));
        assertThat(v.unhealthy()).isFalse();
        assertThat(v.retry()).isTrue();
        assertThat(v.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void a429WithoutAUsableRetryAfterIsAvoidedForOneSecond() {
        assertThat(P.onFailure(Outcome.THROTTLED, null).avoidFor()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void a503RetryAfterStretchesThePauseButOnlyA429AvoidsTheEndpointForItsRetryAfter() {
        FailoverPolicy.Verdict v = P.onFailure(Outcome.SERVER_ERROR, Duration.ofSeconds(5));

        assertThat(v.avoidFor()).isNull();
        assertThat(v.unhealthy()).isTrue();
        assertThat(v.retryAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(P.onFailure(Outcome.NOT_FOUND, Duration.ofSeconds(5)).retryAfter()).isNull();
    }

    @Test
    void transientFailuresOnTheLastEndpointsAreRetriedAtMostTwice() {
        assertThat(P.afterRound(0, true, null, NO_JITTER).next()).isEqualTo(Next.RETRY);
        assertThat(P.afterRound(1, true, null, NO_JITTER).next()).isEqualTo(Next.RETRY);
        assertThat(P.afterRound(2, true, null, NO_JITTER).next()).isEqualTo(Next.GIVE_UP);
    }

    @Test
    void withoutATransientFailureARequestFailsOnceEveryEndpointFailed() {
        assertThat(P.afterRound(0, false, null, NO_JITTER).next()).isEqualTo(Next.GIVE_UP);
        assertThat(P.afterRound(0, false, Duration.ofSeconds(100), NO_JITTER).next()).isEqualTo(Next.GIVE_UP);
    }

    @Test
    void retriesPauseForABackoffWithJitter() {
        assertThat(P.backoff(0, NO_JITTER)).isEqualTo(Duration.ofMillis(200));
        assertThat(P.backoff(0, 0.5)).isEqualTo(Duration.ofMillis(250));
        assertThat(P.backoff(0, MOST_JITTER)).isEqualTo(Duration.ofMillis(300));
        assertThat(P.backoff(1, NO_JITTER)).isEqualTo(Duration.ofMillis(800));
        assertThat(P.backoff(1, MOST_JITTER)).isEqualTo(Duration.ofMillis(1200));
        assertThat(P.afterRound(1, true, null, MOST_JITTER).pause()).isEqualTo(Duration.ofMillis(1200));
        assertThat(P.withBackoff(Duration.ofMillis(100), 2, 0).backoff(3, MOST_JITTER))
                .isEqualTo(Duration.ofMillis(800));
    }

    @Test
    void aRetryAfterLongerThanTheBackoffIsWaitedForInstead() {
        assertThat(P.afterRound(0, true, Duration.ofSeconds(3), NO_JITTER).pause()).isEqualTo(Duration.ofSeconds(3));
        assertThat(P.afterRound(0, true, Duration.ofMillis(10), NO_JITTER).pause())
                .isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void aRetryAfterLongerThanTheCapFailsAtOnceInsteadOfWaiting() {
        assertThat(P.afterRound(0, true, Duration.ofSeconds(30), NO_JITTER))
                .isEqualTo(new FailoverPolicy.RoundEnd(Next.RETRY, Duration.ofSeconds(30)));
        assertThat(P.afterRound(0, true, Duration.ofSeconds(31), NO_JITTER))
                .isEqualTo(new FailoverPolicy.RoundEnd(Next.WAIT_TOO_LONG, Duration.ofSeconds(31)));
    }

    @Test
    void aCutBlobGoesRoundAgainWhileEachRoundReceivesMoreBytes() {
        assertThat(P.resumeAgain(0, new ResumePoint(0, 0), new ResumePoint(100, 0))).isTrue();
        assertThat(P.resumeAgain(0, new ResumePoint(100, 0), new ResumePoint(100, 0))).isFalse();
        assertThat(P.resumeAgain(0, new ResumePoint(0, 0), new ResumePoint(0, 0))).isFalse();
    }

    @Test
    void aBlobResumesAtMostFiveMoreRounds() {
        assertThat(P.resumeAgain(4, new ResumePoint(0, 0), new ResumePoint(100, 0))).isTrue();
        assertThat(P.resumeAgain(5, new ResumePoint(0, 0), new ResumePoint(100, 0))).isFalse();
        assertThat(P.withResumeRounds(0).resumeAgain(0, new ResumePoint(0, 0), new ResumePoint(100, 0))).isFalse();
    }

    @Test
    void aThrownAwayPrefixGivesTheBlobAnotherRoundFromZero() {
        assertThat(P.resumeAgain(0, new ResumePoint(100, 0), new ResumePoint(0, 0))).isTrue();
        assertThat(P.resumeAgain(0, new ResumePoint(0, 0), new ResumePoint(0, 1))).isTrue();
    }

    @Test
    void onlyA206ToARangeRequestResumesTheBlob() {
        assertThat(P.rangeAnswer(true, 206)).isEqualTo(RangeAnswer.RESUME);
        assertThat(P.rangeAnswer(false, 206)).isEqualTo(RangeAnswer.REFUSE);
        assertThat(P.rangeAnswer(true, 203)).isEqualTo(RangeAnswer.REFUSE);
        assertThat(P.rangeAnswer(true, 204)).isEqualTo(RangeAnswer.REFUSE);
    }

    @Test
    void a200ToARangeRequestStartsTheBlobOver() {
        assertThat(P.rangeAnswer(true, 200)).isEqualTo(RangeAnswer.START_OVER);
        assertThat(P.rangeAnswer(false, 200)).isEqualTo(RangeAnswer.START_OVER);
    }

    @Test
    void aCutBodyKeepsTheBytesThatArrivedForARangeRequest() {
        assertThat(P.afterBlobFault(BlobFault.CUT, 0, true)).isEqualTo(Keep.PREFIX);
        assertThat(P.afterBlobFault(BlobFault.CUT, 500, true)).isEqualTo(Keep.PREFIX);
    }

    @Test
    void badBytesAreThrownAwayAndTheNextEndpointStartsFromZero() {
        assertThat(P.afterBlobFault(BlobFault.WRONG_DIGEST, 0, true)).isEqualTo(Keep.NOTHING);
        assertThat(P.afterBlobFault(BlobFault.TOO_LONG, 0, true)).isEqualTo(Keep.NOTHING);
        assertThat(P.afterBlobFault(BlobFault.TOO_LONG, 500, true)).isEqualTo(Keep.NOTHING);
    }

    @Test
    void aWrongResumedBlobIsFetchedWholeFromZeroAndItsCutBodiesAreNoLongerKept() {
        assertThat(P.afterBlobFault(BlobFault.WRONG_DIGEST, 500, true)).isEqualTo(Keep.NOTHING_AND_STOP_RESUMING);
        assertThat(P.afterBlobFault(BlobFault.CUT, 0, false)).isEqualTo(Keep.NOTHING);
    }

    @Test
    void withMethodsChangeOneRuleAndLeaveTheDefaultAlone() {
        FailoverPolicy p = P.withRetryRounds(0).withRetryable(Set.of(Outcome.TIMEOUT)).withUnhealthy(Set.of())
                .withThrottleDefault(Duration.ofSeconds(4)).withMaxWait(Duration.ofSeconds(2));

        assertThat(p.afterRound(0, true, null, NO_JITTER).next()).isEqualTo(Next.GIVE_UP);
        assertThat(p.onFailure(Outcome.TIMEOUT, null).retry()).isTrue();
        assertThat(p.onFailure(Outcome.SERVER_ERROR, null).retry()).isFalse();
        assertThat(p.onFailure(Outcome.REFUSED, null).unhealthy()).isFalse();
        assertThat(p.onFailure(Outcome.THROTTLED, null).avoidFor()).isEqualTo(Duration.ofSeconds(4));
        assertThat(p.withRetryRounds(1).afterRound(0, true, Duration.ofSeconds(3), NO_JITTER).next())
                .isEqualTo(Next.WAIT_TOO_LONG);
        assertThat(P).isEqualTo(new FailoverPolicy(2, Duration.ofMillis(200), 4, 0.5,
                Set.of(Outcome.THROTTLED, Outcome.SERVER_ERROR, Outcome.TRUNCATED),
                Set.of(Outcome.REFUSED, Outcome.UNREACHABLE, Outcome.DNS_ERROR, Outcome.TIMEOUT, Outcome.TLS_ERROR,
                        Outcome.SERVER_ERROR, Outcome.STALLED, Outcome.SLOW),
                Duration.ofSeconds(1), Duration.ofSeconds(30), 5));
    }

    @Test
    void thePolicyIsImmutable() {
        EnumSet<Outcome> outcomes = EnumSet.of(Outcome.TIMEOUT);
        FailoverPolicy p = P.withRetryable(outcomes);
        outcomes.add(Outcome.REFUSED);

        assertThat(p.retryable()).containsExactly(Outcome.TIMEOUT);
        assertThatThrownBy(() -> p.retryable().add(Outcome.REFUSED)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void impossibleValuesAreRefused() {
        assertThatThrownBy(() -> P.withRetryRounds(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> P.withResumeRounds(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> P.withBackoff(Duration.ofMillis(-1), 2, 0.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> P.withBackoff(Duration.ofMillis(1), 0, 0.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> P.withBackoff(Duration.ofMillis(1), 2, 1.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> P.withRetryable(Set.of(Outcome.OK))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> P.withMaxWait(null)).isInstanceOf(NullPointerException.class);
    }
}
