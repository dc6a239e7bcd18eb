package dev.jpull.internal.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.jpull.Attempt;
import dev.jpull.BlobResult;
import dev.jpull.Jpull;
import dev.jpull.Mirror;
import dev.jpull.Outcome;
import dev.jpull.PullContext;
import dev.jpull.PullFailedException;
import dev.jpull.PullListener;
import dev.jpull.PullResult;
import dev.jpull.RegistriesConfig;
import dev.jpull.Target;
import dev.jpull.internal.oci.MediaTypes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One {@link Jpull}, one listener, two images pulled at the same time: every event names its pull
 * ({@link PullContext}) and only carries that pull's manifest, blobs, attempts and rate-limit answers; attempts
 * have typed {@link Target}s. Plan = [mirror answering 404 to everything, registry], so every request of both
 * pulls fails once and recovers.
 */
class PerPullEventsTest {
    private final WireMockServer mirror = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    private final WireMockServer registry = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    private final TestImage alpha = TestImage.create("library/alpha", 2, 200_000, 1);
    private final TestImage beta = TestImage.create("team/beta", 3, 150_000, 2);

    @TempDir
    Path store;

    /** One event as the listener saw it. */
    record Event(PullContext pull, String kind, Object detail) {
    }

    /** Records every event with its pull; both pulls wait in manifestResolved until the other is there too. */
    static final class Recorder implements PullListener {
        final Queue<Event> events = new ConcurrentLinkedQueue<>();
        final CountDownLatch bothResolved = new CountDownLatch(2);

        private void add(PullContext pull, String kind, Object detail) {
            events.add(new Event(pull, kind, detail));
        }

        @Override
        public void pullStarted(PullContext pull) {
            add(pull, "started", null);
        }

        @Override
        public void pullFinished(PullContext pull, PullResult result) {
            add(pull, "finished", result);
        }

        @Override
        public void pullFailed(PullContext pull, RuntimeException error) {
            add(pull, "failed", error);
        }

        @Override
        public void attemptFailed(PullContext pull, Attempt attempt) {
            add(pull, "attemptFailed", attempt);
        }

        @Override
        public void recovered(PullContext pull, Attempt attempt) {
            add(pull, "recovered", attempt);
        }

        @Override
        public void manifestResolved(PullContext pull, String ref, String digest, String mediaType,
                                     String endpoint) {
            add(pull, "manifest", ref + " " + digest);
            bothResolved.countDown();
            try {
                // the two pulls overlap: neither downloads a blob before the other has its manifest
                assertThat(bothResolved.await(60, TimeUnit.SECONDS)).as("the other pull resolved").isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void blobStarted(PullContext pull, String digest, long size, String endpoint) {
            add(pull, "blobStarted", digest);
        }

        @Override
        public void blobProgress(PullContext pull, String digest, long received, long size, String endpoint) {
            add(pull, "blobProgress", digest);
        }

        @Override
        public void blobDone(PullContext pull, BlobResult blob) {
            add(pull, "blobDone", blob.digest());
        }

        @Override
        public void rateLimit(PullContext pull, String endpoint, String limit, String remaining) {
            add(pull, "rateLimit", limit);
        }

        List<Event> of(PullContext pull) {
            return events.stream().filter(e -> e.pull().equals(pull)).toList();
        }
    }

    @BeforeEach
    void start() {
        mirror.start();
        registry.start();
        alpha.serveAll(registry, "1.0");
        beta.serveAll(registry, "2.0");
        // each image's manifest answers with its own rate-limit value: the event must reach the right pull
        rateLimited(alpha, "1.0", "100");
        rateLimited(beta, "2.0", "200");
    }

    private void rateLimited(TestImage image, String tag, String limit) {
        registry.stubFor(get(urlPathEqualTo(image.manifestPath(tag))).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", MediaTypes.OCI_MANIFEST)
                .withHeader("Docker-Content-Digest", image.manifestDigest())
                .withHeader("ratelimit-limit", limit).withHeader("ratelimit-remaining", "7")
                .withBody(image.manifest())));
    }

    @AfterEach
    void stop() {
        mirror.stop();
        registry.stop();
    }

    private String host() {
        return "127.0.0.1:" + registry.port();
    }

    private Jpull jpull(PullListener listener) {
        var config = new RegistriesConfig(null, Map.of(host(), new Mirror(List.of("http://127.0.0.1:"
                + mirror.port()), Map.of())), Map.of(), List.of());
        return Jpull.builder().config(config).store(store).listener(listener).concurrency(2).build();
    }

    private static List<String> blobs(TestImage image) {
        return Stream.concat(Stream.of(image.configDigest()), image.layerDigests().stream()).toList();
    }

    @Test
    void twoConcurrentPullsThroughOneListenerAreToldApart() throws Exception {
        Recorder recorder = new Recorder();
        Jpull jpull = jpull(recorder);
        String alphaRef = host() + "/library/alpha:1.0";
        String betaRef = host() + "/team/beta:2.0";
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<PullResult> results = new ArrayList<>();
        try {
            Future<PullResult> a = pool.submit(() -> jpull.pull(alphaRef));
            Future<PullResult> b = pool.submit(() -> jpull.pull(betaRef));
            results.add(a.get(120, TimeUnit.SECONDS));
            results.add(b.get(120, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }

        List<PullContext> pulls = recorder.events.stream().map(Event::pull).distinct().toList();
        assertThat(pulls).hasSize(2).doesNotContainNull();
        assertThat(pulls.get(0).id()).isNotEqualTo(pulls.get(1).id());
        assertThat(pulls).extracting(p -> p.reference().toString()).containsExactlyInAnyOrder(alphaRef, betaRef);
        for (PullContext pull : pulls) {
            boolean isAlpha = pull.reference().toString().equals(alphaRef);
            TestImage image = isAlpha ? alpha : beta;
            String tag = isAlpha ? "1.0" : "2.0";
            PullResult result = results.get(isAlpha ? 0 : 1);
            List<Event> mine = recorder.of(pull);

            assertThat(mine.get(0).kind()).isEqualTo("started");
            assertThat(mine.get(mine.size() - 1)).isEqualTo(new Event(pull, "finished", result));
            assertThat(mine).filteredOn(e -> e.kind().equals("manifest")).extracting(Event::detail)
                    .containsExactly(tag + " " + image.manifestDigest());
            assertThat(mine).filteredOn(e -> e.kind().equals("blobDone")).extracting(Event::detail)
                    .containsExactlyInAnyOrderElementsOf(blobs(image));
            assertThat(mine).filteredOn(e -> e.kind().startsWith("blob")).extracting(Event::detail)
                    .isSubsetOf(blobs(image));
            assertThat(mine).filteredOn(e -> e.kind().equals("rateLimit")).extracting(Event::detail)
                    .containsExactly(isAlpha ? "100" : "200");

            // every request failed once on the mirror, then recovered on the registry: typed targets of this pull
            List<Target> targets = Stream.concat(Stream.of(Target.manifest(tag)), blobs(image).stream()
                    .map(Target::blob)).toList();
            List<Attempt> failed = attempts(mine, "attemptFailed");
            List<Attempt> recovered = attempts(mine, "recovered");
            assertThat(failed).extracting(Attempt::target).containsExactlyInAnyOrderElementsOf(targets);
            assertThat(failed).allSatisfy(f -> assertThat(f.outcome()).isEqualTo(Outcome.NOT_FOUND));
            assertThat(recovered).extracting(Attempt::target).containsExactlyInAnyOrderElementsOf(targets);
            assertThat(recovered).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.OK));
            assertThat(failed).filteredOn(f -> f.target().kind() == Target.Kind.MANIFEST)
                    .singleElement().satisfies(f -> {
                        assertThat(f.target().reference()).isEqualTo(tag);
                        assertThat(f.target().digest()).isNull();
                    });
            assertThat(result.attempts()).containsExactlyInAnyOrderElementsOf(
                    Stream.concat(failed.stream(), recovered.stream()).toList());
        }
        assertThat(recorder.events).hasSize(recorder.of(pulls.get(0)).size() + recorder.of(pulls.get(1)).size());
    }

    @Test
    void aFailedPullEndsWithPullFailedUnderTheSameIdentity() {
        Recorder recorder = new Recorder();
        recorder.bothResolved.countDown(); // one pull only
        String missing = host() + "/library/missing:9";

        assertThatThrownBy(() -> jpull(recorder).pull(missing)).isInstanceOf(PullFailedException.class)
                .satisfies(e -> assertThat(((PullFailedException) e).target()).isEqualTo(Target.manifest("9")));

        List<PullContext> pulls = recorder.events.stream().map(Event::pull).distinct().toList();
        assertThat(pulls).singleElement().satisfies(p -> assertThat(p.reference().toString()).isEqualTo(missing));
        List<Event> events = List.copyOf(recorder.events);
        assertThat(events.get(0).kind()).isEqualTo("started");
        assertThat(events.get(events.size() - 1).kind()).isEqualTo("failed");
        assertThat(events.get(events.size() - 1).detail()).isInstanceOf(PullFailedException.class);
        assertThat(attempts(events, "attemptFailed")).hasSize(2)
                .allSatisfy(a -> assertThat(a.target()).isEqualTo(Target.manifest("9")));
    }

    @Test
    void aListenerOfTheContextFreeMethodsStillReceivesEveryEvent() {
        Queue<String> seen = new ConcurrentLinkedQueue<>();
        PullListener old = new PullListener() {
            @Override
            public void attemptFailed(Attempt a) {
                seen.add("failed " + a.target());
            }

            @Override
            public void recovered(Attempt a) {
                seen.add("recovered " + a.target());
            }

            @Override
            public void manifestResolved(String ref, String digest, String mediaType, String endpoint) {
                seen.add("manifest " + ref);
            }

            @Override
            public void blobDone(BlobResult b) {
                seen.add("done " + b.digest());
            }

            @Override
            public void rateLimit(String endpoint, String limit, String remaining) {
                seen.add("limit " + limit);
            }
        };

        jpull(old).pull(host() + "/library/alpha:1.0");

        List<String> expected = new ArrayList<>(List.of("failed manifest 1.0", "recovered manifest 1.0",
                "manifest 1.0", "limit 100"));
        for (String blob : blobs(alpha)) {
            expected.addAll(List.of("failed blob " + blob, "recovered blob " + blob, "done " + blob));
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static List<Attempt> attempts(List<Event> events, String kind) {
        return events.stream().filter(e -> e.kind().equals(kind)).map(e -> (Attempt) e.detail()).toList();
    }
}
