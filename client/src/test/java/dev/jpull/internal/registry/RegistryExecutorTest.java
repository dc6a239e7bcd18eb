package dev.jpull.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpull.Target;
import dev.jpull.Attempt;
import dev.jpull.FailoverPolicy;
import dev.jpull.Outcome;
import dev.jpull.PullFailedException;
import dev.jpull.PullListener;
import dev.jpull.RegistryConfig;
import dev.jpull.internal.registry.RegistryExecutor.Served;
import dev.jpull.Endpoint;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The executor carrying out the {@link FailoverPolicy} with fake operations (no HTTP) and a fake clock (no real
 * waits): one test per rule of README's "How jpull fails over" about the order of endpoints, retries, waits and
 * resumed blobs.
 */
class RegistryExecutorTest {
    private static final Endpoint A = endpoint("a.example");
    private static final Endpoint B = endpoint("b.example");
    private static final Endpoint C = endpoint("c.example");

    private final FakeClock clock = new FakeClock();
    private final Script script = new Script();
    private final Events events = new Events();

    private static Endpoint endpoint(String host) {
        return new Endpoint("https", host, "/v2", "library/app", null, RegistryConfig.EMPTY, null, false, host);
    }

    private RegistryExecutor executor(Endpoint... plan) {
        return executor(FailoverPolicy.DEFAULT, plan);
    }

    private RegistryExecutor executor(FailoverPolicy policy, Endpoint... plan) {
        return new RegistryExecutor(List.of(plan), events, policy, clock);
    }

    private static EndpointFailure fail(Outcome outcome) {
        return new EndpointFailure(outcome, 0, outcome.label() + " from the fake");
    }

    private static EndpointFailure throttled(Duration retryAfter) {
        return new EndpointFailure(Outcome.THROTTLED, 429, "HTTP 429", retryAfter);
    }

    @Test
    void everyRequestGoesThroughTheEndpointsInPlanOrderOnItsOwn() {
        RegistryExecutor ex = executor(A, B, C);
        script.on("manifest x", A, fail(Outcome.NOT_FOUND)).on("manifest x", B, fail(Outcome.NOT_FOUND));

        assertThat(ex.execute(Target.manifest("x"), script.op("manifest x")).endpoint()).isEqualTo(C);
        assertThat(ex.execute(Target.blob("y"), script.op("blob y")).endpoint()).isEqualTo(A);
        assertThat(script.calls).containsExactly("manifest x@a.example", "manifest x@b.example",
                "manifest x@c.example", "blob y@a.example");
    }

    @ParameterizedTest
    @EnumSource(value = Outcome.class, names = "OK", mode = EnumSource.Mode.EXCLUDE)
    void everyFailureMovesTheRequestToTheNextEndpointAtOnce(Outcome outcome) {
        script.on("blob y", A, fail(outcome));

        Served<String> served = executor(A, B).execute(Target.blob("y"), script.op("blob y"));

        assertThat(served.endpoint()).isEqualTo(B);
        assertThat(served.value()).isEqualTo("blob y from b.example");
        assertThat(clock.sleeps).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = Outcome.class, names = {"REFUSED", "TIMEOUT", "TLS_ERROR", "SERVER_ERROR"})
    void aRefusedEndpointIsTriedLastForTheRestOfThePull(Outcome outcome) {
        RegistryExecutor ex = executor(A, B);
        script.on("blob 1", A, fail(outcome));

        for (Target target : List.of(Target.blob("1"), Target.blob("2"), Target.blob("3"), Target.manifest("x"))) {
            assertThat(ex.execute(target, script.op(target.label())).endpoint()).isEqualTo(B);
        }
        assertThat(script.calls).filteredOn(c -> c.endsWith("@a.example")).containsExactly("blob 1@a.example");
        assertThat(ex.order()).containsExactly(B, A);
    }

    @Test
    void anEndpointTriedLastIsStillTriedWhenNothingElseIsLeft() {
        RegistryExecutor ex = executor(A, B);
        script.on("blob 1", A, fail(Outcome.REFUSED)).on("blob 2", B, fail(Outcome.NOT_FOUND));

        ex.execute(Target.blob("1"), script.op("blob 1"));
        Served<String> served = ex.execute(Target.blob("2"), script.op("blob 2"));

        assertThat(served.endpoint()).isEqualTo(A);
        assertThat(script.calls).containsExactly("blob 1@a.example", "blob 1@b.example", "blob 2@b.example",
                "blob 2@a.example");
    }

    @ParameterizedTest
    @EnumSource(value = Outcome.class, names = {"NOT_FOUND", "UNAUTHORIZED", "FORBIDDEN", "DIGEST_MISMATCH",
            "TRUNCATED", "PROTOCOL_ERROR"})
    void aFailureThatSaysNothingAboutTheEndpointLeavesItInPlanOrder(Outcome outcome) {
        RegistryExecutor ex = executor(A, B);
        script.on("blob 1", A, fail(outcome));

        ex.execute(Target.blob("1"), script.op("blob 1"));

        assertThat(ex.execute(Target.blob("2"), script.op("blob 2")).endpoint()).isEqualTo(A);
    }

    @Test
    void a429MovesOnAtOnceAndWaitsOnlyWhenNoOtherEndpointIsLeft() {
        script.on("blob 1", A, throttled(Duration.ofSeconds(5)));
        assertThat(executor(A, B).execute(Target.blob("1"), script.op("blob 1")).endpoint()).isEqualTo(B);
        assertThat(clock.sleeps).isEmpty();

        script.on("blob 2", A, throttled(Duration.ofSeconds(5)));
        assertThat(executor(A).execute(Target.blob("2"), script.op("blob 2")).endpoint()).isEqualTo(A);
        assertThat(clock.sleeps).containsExactly(Duration.ofSeconds(5));
    }

    @Test
    void a429IsHonouredPerEndpointUntilItsRetryAfterHasPassed() {
        RegistryExecutor ex = executor(A, B, C);
        script.on("blob 1", A, throttled(Duration.ofSeconds(10)));

        ex.execute(Target.blob("1"), script.op("blob 1"));
        assertThat(ex.execute(Target.blob("2"), script.op("blob 2")).endpoint()).isEqualTo(B);
        assertThat(ex.order()).containsExactly(B, C, A);

        clock.advance(Duration.ofSeconds(10).plusMillis(1));
        assertThat(ex.order()).containsExactly(A, B, C);
        assertThat(ex.execute(Target.blob("3"), script.op("blob 3")).endpoint()).isEqualTo(A);
    }

    @Test
    void a429WithoutRetryAfterKeepsItsEndpointLastForOneSecond() {
        RegistryExecutor ex = executor(A, B);
        script.on("blob 1", A, throttled(null));

        ex.execute(Target.blob("1"), script.op("blob 1"));
        clock.advance(Duration.ofMillis(999));
        assertThat(ex.order()).containsExactly(B, A);
        clock.advance(Duration.ofMillis(2));
        assertThat(ex.order()).containsExactly(A, B);
    }

    @Test
    void aRetryAfterLongerThanTheCapFailsAtOnceInsteadOfWaiting() {
        script.on("blob 1", A, throttled(Duration.ofSeconds(31)));

        assertThatThrownBy(() -> executor(A).execute(Target.blob("1"), script.op("blob 1")))
                .isInstanceOf(PullFailedException.class)
                .hasMessageContaining("the endpoints ask to wait 31s (longer than 30s)")
                .hasMessageContaining("https://a.example/v2 -> throttled (HTTP 429)");
        assertThat(clock.sleeps).isEmpty();
    }

    @Test
    void aRetryAfterUpToTheCapIsWaitedFor() {
        script.on("blob 1", A, throttled(Duration.ofSeconds(30)));

        executor(A).execute(Target.blob("1"), script.op("blob 1"));

        assertThat(clock.sleeps).containsExactly(Duration.ofSeconds(30));
    }

    @ParameterizedTest
    @EnumSource(value = Outcome.class, names = {"THROTTLED", "SERVER_ERROR", "TRUNCATED"})
    void transientFailuresOnTheLastEndpointsAreRetriedAtMostTwice(Outcome outcome) {
        script.always("blob 1", A, fail(outcome));

        assertThatThrownBy(() -> executor(A).execute(Target.blob("1"), script.op("blob 1")))
                .isInstanceOfSatisfying(PullFailedException.class,
                        e -> assertThat(e.attempts()).extracting(Attempt::outcome)
                                .containsExactly(outcome, outcome, outcome));
        assertThat(script.calls).hasSize(3);
        assertThat(clock.sleeps).hasSize(2);
    }

    @Test
    void retriesPauseForABackoffWithJitter() {
        script.always("blob 1", A, fail(Outcome.SERVER_ERROR));
        clock.random = 0.5;

        assertThatThrownBy(() -> executor(A).execute(Target.blob("1"), script.op("blob 1")))
                .isInstanceOf(PullFailedException.class);
        assertThat(clock.sleeps).containsExactly(Duration.ofMillis(250), Duration.ofMillis(1000));
    }

    @Test
    void onlyTheEndpointsThatFailedTransientlyAreRetried() {
        script.always("blob 1", A, fail(Outcome.NOT_FOUND)).on("blob 1", B, fail(Outcome.SERVER_ERROR))
                .always("blob 1", C, fail(Outcome.FORBIDDEN));

        assertThat(executor(A, B, C).execute(Target.blob("1"), script.op("blob 1")).endpoint()).isEqualTo(B);
        assertThat(script.calls).containsExactly("blob 1@a.example", "blob 1@b.example", "blob 1@c.example",
                "blob 1@b.example");
        assertThat(clock.sleeps).hasSize(1);
    }

    @Test
    void aRequestWithoutATransientFailureFailsOnceEveryEndpointFailed() {
        script.always("blob 1", A, fail(Outcome.NOT_FOUND)).always("blob 1", B, fail(Outcome.REFUSED));

        assertThatThrownBy(() -> executor(A, B).execute(Target.blob("1"), script.op("blob 1")))
                .isInstanceOf(PullFailedException.class);
        assertThat(script.calls).hasSize(2);
        assertThat(clock.sleeps).isEmpty();
    }

    @Test
    void whenEveryEndpointFailsTheErrorListsEachEndpointAndWhatItAnswered() {
        script.always("manifest 1.0", A, new EndpointFailure(Outcome.NOT_FOUND, 404, "MANIFEST_UNKNOWN: unknown"))
                .always("manifest 1.0", B, new EndpointFailure(Outcome.FORBIDDEN, 403, "DENIED: no"));

        assertThatThrownBy(() -> executor(A, B).execute(Target.manifest("1.0"), script.op("manifest 1.0")))
                .isInstanceOf(PullFailedException.class)
                .hasMessage("manifest 1.0 failed on every endpoint: https://a.example/v2 -> not-found (HTTP 404): "
                        + "MANIFEST_UNKNOWN: unknown; https://b.example/v2 -> forbidden (HTTP 403): DENIED: no");
    }

    @Test
    void everyFailureAndEverySuccessAfterAFailureIsRecordedAsAnAttempt() {
        RegistryExecutor ex = executor(A, B);
        script.on("blob 1", A, fail(Outcome.NOT_FOUND));

        ex.execute(Target.blob("1"), script.op("blob 1"));
        ex.execute(Target.blob("2"), script.op("blob 2"));

        assertThat(ex.attempts()).extracting(a -> a.target() + " " + a.endpoint() + " " + a.outcome())
                .containsExactly("blob 1 https://a.example/v2 not-found", "blob 1 https://b.example/v2 ok");
        assertThat(events.failed).extracting(Attempt::outcome).containsExactly(Outcome.NOT_FOUND);
        assertThat(events.recovered).extracting(Attempt::endpoint).containsExactly("https://b.example/v2");
    }

    @Test
    void aCutBlobResumesWithRangeOnTheSameOrNextEndpoint() {
        FakeBlob blob = new FakeBlob(1000);
        blob.cutAfter(A, 400);
        assertThat(executor(A, B).executeResuming(Target.blob("1"), blob, blob::point).endpoint()).isEqualTo(B);
        assertThat(blob.requests).containsExactly("a.example from 0", "b.example from 400");

        FakeBlob alone = new FakeBlob(1000);
        alone.cutAfter(A, 400);
        assertThat(executor(A).executeResuming(Target.blob("1"), alone, alone::point).endpoint()).isEqualTo(A);
        assertThat(alone.requests).containsExactly("a.example from 0", "a.example from 400");
    }

    @Test
    void aBlobKeepsResumingWhileEachRoundMakesProgressAtMostFiveMoreRounds() {
        FakeBlob blob = new FakeBlob(1_000_000);
        for (int i = 0; i < 100; i++) {
            blob.cutAfter(A, 10);
        }

        assertThatThrownBy(() -> executor(A).executeResuming(Target.blob("1"), blob, blob::point))
                .isInstanceOfSatisfying(PullFailedException.class, e -> assertThat(e.attempts()).hasSize(18));
        assertThat(blob.requests).hasSize(6 * 3).endsWith("a.example from 170");
    }

    @Test
    void aBlobThatMakesNoProgressIsNotResumed() {
        FakeBlob blob = new FakeBlob(1000);
        blob.failures.computeIfAbsent(A, k -> new ArrayDeque<>()).add(new long[] {0, 0});

        assertThatThrownBy(() -> executor(A).executeResuming(Target.blob("1"), blob, blob::point))
                .isInstanceOf(PullFailedException.class);
        assertThat(blob.requests).containsExactly("a.example from 0");
    }

    @Test
    void aWrongResumedPrefixIsThrownAwayAndTheBlobGoesRoundAgainFromZero() {
        FakeBlob blob = new FakeBlob(1000);
        blob.offset = 600; // left by an earlier run, wrong
        blob.wrongPrefix = true;

        assertThat(executor(A).executeResuming(Target.blob("1"), blob, blob::point).endpoint()).isEqualTo(A);
        assertThat(blob.requests).containsExactly("a.example from 600", "a.example from 0");
    }

    @Test
    void anEndpointEarlierPullsRememberAsFailingIsTriedLastUntilItAnswers() {
        long now = System.currentTimeMillis();
        RegistryExecutor ex = new RegistryExecutor(List.of(A, B, C), events, FailoverPolicy.DEFAULT, clock,
                Map.of(A.baseUrl(), new EndpointStats(A.baseUrl(), Outcome.TIMEOUT, now, -1, -1),
                        B.baseUrl(), new EndpointStats(B.baseUrl(), Outcome.HEDGED, now, 40, -1),
                        C.baseUrl(), new EndpointStats(C.baseUrl(), Outcome.OK, now, 40, 1_000_000)));

        assertThat(ex.order()).containsExactly(C, A, B);
        script.on("manifest x", C, fail(Outcome.NOT_FOUND));
        assertThat(ex.execute(Target.manifest("x"), script.op("manifest x")).endpoint()).isEqualTo(A);
        assertThat(ex.order()).as("A answered in this pull").containsExactly(A, C, B);
    }

    @Test
    void thePullsObservationsAreWhatTheMemoryKeeps() {
        RegistryExecutor ex = executor(A, B);
        script.on("blob y", A, fail(Outcome.REFUSED));

        ex.execute(Target.blob("y"), script.op("blob y"));

        assertThat(ex.observations()).extracting(EndpointStats::baseUrl, EndpointStats::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple(A.baseUrl(), Outcome.REFUSED),
                org.assertj.core.groups.Tuple.tuple(B.baseUrl(), Outcome.OK));
    }

    @Test
    void theExecutorFollowsThePolicyItIsGiven() {
        script.always("blob 1", A, fail(Outcome.SERVER_ERROR));
        assertThatThrownBy(() -> executor(FailoverPolicy.DEFAULT.withRetryRounds(0), A)
                .execute(Target.blob("1"), script.op("blob 1"))).isInstanceOf(PullFailedException.class);
        assertThat(script.calls).hasSize(1);

        RegistryExecutor lenient = executor(FailoverPolicy.DEFAULT.withUnhealthy(Set.of()), A, B);
        script.on("blob 2", A, fail(Outcome.REFUSED));
        lenient.execute(Target.blob("2"), script.op("blob 2"));
        assertThat(lenient.order()).containsExactly(A, B);
    }

    /** Per target and endpoint, failures to throw in turn (then success), or one failure for ever. */
    private static final class Script {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        private final Map<String, Deque<EndpointFailure>> queued = new HashMap<>();
        private final Map<String, EndpointFailure> forever = new HashMap<>();

        Script on(String target, Endpoint e, EndpointFailure f) {
            queued.computeIfAbsent(target + "@" + e.host(), k -> new ArrayDeque<>()).add(f);
            return this;
        }

        Script always(String target, Endpoint e, EndpointFailure f) {
            forever.put(target + "@" + e.host(), f);
            return this;
        }

        RegistryExecutor.Operation<String> op(String target) {
            return endpoint -> {
                String key = target + "@" + endpoint.host();
                calls.add(key);
                Deque<EndpointFailure> q = queued.get(key);
                if (q != null && !q.isEmpty()) {
                    throw q.poll();
                }
                if (forever.containsKey(key)) {
                    throw forever.get(key);
                }
                return target + " from " + endpoint.host();
            };
        }
    }

    /** A blob download into a partial that outlives attempts, as GetBlob does it, without HTTP. */
    private static final class FakeBlob implements RegistryExecutor.Operation<Long> {
        final long size;
        final List<String> requests = new ArrayList<>();
        /** per endpoint: {bytes to deliver before the cut} in turn */
        final Map<Endpoint, Deque<long[]>> failures = new HashMap<>();
        long offset;
        int rejected;
        boolean wrongPrefix;

        FakeBlob(long size) {
            this.size = size;
        }

        void cutAfter(Endpoint e, long bytes) {
            failures.computeIfAbsent(e, k -> new ArrayDeque<>()).add(new long[] {bytes, 1});
        }

        FailoverPolicy.ResumePoint point() {
            return new FailoverPolicy.ResumePoint(offset, rejected);
        }

        @Override
        public Long run(Endpoint endpoint) throws EndpointFailure {
            requests.add(endpoint.host() + " from " + offset);
            long start = offset;
            long[] cut = failures.getOrDefault(endpoint, new ArrayDeque<>()).poll();
            if (cut != null) {
                offset += cut[0];
                throw new EndpointFailure(cut[1] == 1 ? Outcome.TRUNCATED : Outcome.REFUSED, 200, "cut");
            }
            offset = size;
            if (wrongPrefix && start > 0) {
                wrongPrefix = false;
                offset = 0;
                rejected++;
                throw new EndpointFailure(Outcome.DIGEST_MISMATCH, 206, "wrong content");
            }
            return size - start;
        }
    }

    /** Monotonic time that moves only when the executor sleeps or the test advances it. */
    private static final class FakeClock implements RegistryExecutor.Clock {
        final List<Duration> sleeps = new ArrayList<>();
        long now = 1_000_000_000L;
        double random;

        void advance(Duration d) {
            now += d.toNanos();
        }

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(Duration d) {
            sleeps.add(d);
            advance(d);
        }

        @Override
        public double random() {
            return random;
        }
    }

    private static final class Events implements PullListener {
        final List<Attempt> failed = new ArrayList<>();
        final List<Attempt> recovered = new ArrayList<>();

        @Override
        public void attemptFailed(Attempt attempt) {
            failed.add(attempt);
        }

        @Override
        public void recovered(Attempt attempt) {
            recovered.add(attempt);
        }
    }
}
