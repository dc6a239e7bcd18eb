package dev.jpull.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.Attempt;
import dev.jpull.BlobResult;
import dev.jpull.Jpull;
import dev.jpull.Outcome;
import dev.jpull.PullResult;
import dev.jpull.RegistriesConfig;
import dev.jpull.Target;
import dev.jpull.Timeouts;
import dev.jpull.testdata.Image;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.RegistryFixture.Mode;
import dev.jpull.testdata.Skopeo;
import dev.jpull.testdata.WanProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 against the real distribution registry behind {@link WanProxy} latency proxies (20 ms each way, one
 * shared 100 Mbit/s uplink): the good endpoint is a proxy to the registry and the image reference names it; a
 * first mirror endpoint that never answers, or that stalls mid-body, must cost neither its header timeout nor its
 * idle-read timeout (both 15 s, jpull's defaults), and a second pull that remembers the first does not try the dead
 * mirror at all. Exact bounds are the benchmark's (bench/wan.sh, BENCHMARKS.md); here only correctness and "did not
 * wait for the timeout".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WanFailoverIT {
    private static final Duration DELAY = Duration.ofMillis(20);
    private static final String REPO_TAG = "library/wan:1.0";

    private RegistryFixture reg;
    private WanProxy.Link uplink;
    private WanProxy good;
    private Image image;
    private String digest;

    @TempDir
    Path tmp;

    @BeforeAll
    void start(@TempDir Path layout) {
        reg = RegistryFixture.start(Mode.PLAIN);
        image = new ImageGenerator(111).singlePlatform(layout, "wan", 3, 2_000_000);
        Skopeo.copyToRegistry(image.layoutDir(), "wan", reg, REPO_TAG);
        digest = Skopeo.inspectDigest(reg, REPO_TAG);
        uplink = WanProxy.Link.mbit(100);
        good = WanProxy.start(0, "127.0.0.1", reg.port(), DELAY, new WanProxy.Link(0, uplink), WanProxy.Mode.GOOD);
    }

    @AfterAll
    void stop() {
        if (good != null) {
            good.close();
        }
        if (reg != null) {
            reg.close();
        }
    }

    private WanProxy first(WanProxy.Mode mode) {
        return WanProxy.start(0, "127.0.0.1", reg.port(), DELAY, new WanProxy.Link(0, uplink), mode);
    }

    /** registries.yaml: {@code first} as the mirror of the good endpoint, which follows as the default endpoint. */
    private RegistriesConfig config(WanProxy first) throws IOException {
        Path yaml = Files.createTempFile(tmp, "registries-", ".yaml");
        Files.writeString(yaml, "mirrors:\n  \"" + good.hostPort() + "\":\n    endpoint:\n"
                + "      - \"http://" + first.hostPort() + "\"\n");
        return RegistriesConfig.load(yaml);
    }

    private Jpull jpull(RegistriesConfig config, Path store, boolean memory) {
        Jpull.Builder b = Jpull.builder().config(config).store(store).timeouts(Timeouts.DEFAULTS)
                .dockerConfig(false);
        if (memory) {
            b.endpointMemory(store.getParent().resolve("state").resolve("endpoints.json"));
        }
        return b.build();
    }

    private String ref() {
        return good.hostPort() + "/" + REPO_TAG;
    }

    private String url(WanProxy p) {
        return "http://" + p.hostPort() + "/v2";
    }

    @Test
    void aFirstEndpointThatNeverAnswersIsOvertakenAndTheNextPullDoesNotTryIt() throws IOException {
        try (WanProxy dead = first(WanProxy.Mode.NEVER_ANSWER)) {
            Path run = Files.createDirectories(tmp.resolve("hang"));
            RegistriesConfig config = config(dead);

            long t0 = System.nanoTime();
            PullResult r = jpull(config, run.resolve("one"), true).pull(ref());
            Duration took = Duration.ofNanos(System.nanoTime() - t0);

            assertThat(r.digest()).isEqualTo(digest);
            assertThat(r.attempts()).filteredOn(a -> a.target().equals(Target.manifest("1.0")))
                    .extracting(Attempt::endpoint, Attempt::outcome).containsExactly(
                            org.assertj.core.groups.Tuple.tuple(url(dead), Outcome.HEDGED),
                            org.assertj.core.groups.Tuple.tuple(url(good), Outcome.OK));
            assertThat(r.blobs()).extracting(BlobResult::endpoint).containsOnly(url(good));
            assertThat(took).as("did not wait for the 15 s header timeout").isLessThan(Timeouts.DEFAULTS.headers());

            PullResult again = jpull(config, run.resolve("two"), true).pull(ref());

            assertThat(again.digest()).isEqualTo(digest);
            assertThat(again.attempts()).as("the remembered dead mirror is tried only after the good endpoint")
                    .isEmpty();
            assertThat(again.endpoint()).isEqualTo(url(good));
        }
    }

    @Test
    void aFirstEndpointThatStallsMidBlobIsLeftForTheNextWithRangeBeforeTheIdleTimeout() throws IOException {
        try (WanProxy stalling = first(WanProxy.Mode.STALL_MID_BODY)) {
            long t0 = System.nanoTime();
            PullResult r = jpull(config(stalling), tmp.resolve("stall"), false).pull(ref());
            Duration took = Duration.ofNanos(System.nanoTime() - t0);

            assertThat(r.digest()).isEqualTo(digest);
            List<Attempt> stalled = r.attempts().stream().filter(a -> a.outcome() == Outcome.STALLED).toList();
            assertThat(stalled).isNotEmpty().allSatisfy(a -> {
                assertThat(a.endpoint()).isEqualTo(url(stalling));
                assertThat(a.error()).contains("continued on " + url(good));
            });
            for (Attempt a : stalled) {
                assertThat(r.blobs()).filteredOn(b -> Target.blob(b.digest()).equals(a.target()))
                        .extracting(BlobResult::endpoint).containsExactly(url(good));
            }
            assertThat(took).as("did not wait for the 15 s idle-read timeout").isLessThan(Timeouts.DEFAULTS.idleRead());
        }
    }
}
