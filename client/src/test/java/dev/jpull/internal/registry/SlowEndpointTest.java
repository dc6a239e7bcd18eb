package dev.jpull.internal.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.jpull.FailoverPolicy;
import dev.jpull.Hedging;
import dev.jpull.Target;
import dev.jpull.Attempt;
import dev.jpull.Jpull;
import dev.jpull.Outcome;
import dev.jpull.PullResult;
import dev.jpull.Mirror;
import dev.jpull.RegistriesConfig;
import dev.jpull.Timeouts;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.MediaTypes;
import dev.jpull.internal.registry.RangeServer.Fault;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded time against slow endpoints (issue 8, point 4): a body that trickles below the low-speed limit (or
 * stalls when there is no idle-read timeout) is abandoned like a stalled one, a blob resuming with {@code Range}
 * on the next endpoint; and a hanging token service costs one header timeout for the whole exchange.
 */
class SlowEndpointTest {
    /** These tests are about timeouts and classification: hedging ({@code HedgingTest}) would overtake them. */
    private static final FailoverPolicy NO_HEDGING = FailoverPolicy.DEFAULT.withHedging(Hedging.OFF);
    private static final int SIZE = 400_000;
    /** 50 000 bytes/s over 1 s; stages generous so that only the low-speed limit can cut a trickle. */
    private static final Timeouts LIMITED = new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(1),
            Duration.ofSeconds(5), Duration.ofSeconds(5), 50_000, Duration.ofSeconds(1));

    private final TestImage image = TestImage.create("library/app", 3, SIZE, 31);
    private final List<AutoCloseable> servers = new java.util.ArrayList<>();

    @TempDir
    Path store;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable s : servers) {
            s.close();
        }
    }

    private RangeServer rangeServer() throws IOException {
        RangeServer s = new RangeServer(image, "1.0");
        servers.add(s);
        return s;
    }

    private WireMockServer wiremock() {
        WireMockServer s = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        s.start();
        servers.add(s::stop);
        return s;
    }

    private PullResult pull(int registryPort, int mirrorPort, Timeouts timeouts) {
        var config = new RegistriesConfig(null, Map.of("127.0.0.1:" + registryPort,
                new Mirror(List.of("http://127.0.0.1:" + mirrorPort), Map.of())), Map.of(), List.of());
        return Jpull.builder().config(config).store(store).timeouts(timeouts)
                .failoverPolicy(NO_HEDGING).concurrency(1).dockerConfig(false)
                .build().pull("127.0.0.1:" + registryPort + "/" + image.repository() + ":1.0");
    }

    private long imageBytes() {
        return image.manifest().length + image.config().length + (long) SIZE * image.layers().size();
    }

    private static List<Attempt> attemptsOf(PullResult result, int port) {
        return result.attempts().stream().filter(a -> a.endpoint().equals("http://127.0.0.1:" + port + "/v2"))
                .toList();
    }

    /** A mirror that challenges every manifest request with a Bearer realm of its own answering {@code token}. */
    private WireMockServer mirrorWithTokenService(ResponseDefinitionBuilder token) {
        WireMockServer mirror = wiremock();
        mirror.stubFor(get(urlPathEqualTo(image.manifestPath("1.0"))).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Bearer realm=\"" + mirror.baseUrl() + "/token\",service=\"m\"")));
        mirror.stubFor(get(urlPathEqualTo("/token")).willReturn(token));
        return mirror;
    }

    @Test
    void aTricklingBlobFailsOverAsATimeoutAndTheNextEndpointResumesWithRange() throws IOException {
        RangeServer mirror = rangeServer();
        RangeServer registry = rangeServer();
        mirror.throttle(1000, 100); // about 10 KB/s, a piece every 100 ms: never idle for the 5 s read timeout
        String layer = image.layerDigests().get(0); // the first blob big enough to notice (the config is tiny)

        long start = System.nanoTime();
        PullResult result = pull(registry.port(), mirror.port(), LIMITED);
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(result.attempts()).filteredOn(a -> a.target().equals(Target.blob(layer)))
                .extracting(Attempt::outcome).containsExactly(Outcome.TIMEOUT, Outcome.OK);
        assertThat(attemptsOf(result, mirror.port())).singleElement().satisfies(a ->
                assertThat(a.error()).contains("slower than 50000 bytes/s for 1s"));
        List<String> ranges = registry.ranges(layer);
        assertThat(ranges).singleElement().asString().matches("bytes=[1-9][0-9]*-");
        long resumedAt = Long.parseLong(ranges.get(0).replaceAll("bytes=(\\d+)-", "$1"));
        assertThat(registry.blobBytesSent(layer)).isEqualTo(SIZE - resumedAt);
        assertThat(result.bytesDownloaded()).isEqualTo(imageBytes()); // nothing fetched twice
        assertThat(store.resolve("blobs/sha256/" + Digests.hex(layer))).hasBinaryContent(image.layers().get(0));
        assertThat(elapsedMs).as("the mirror alone would need 40 s").isLessThan(25_000);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS) // without the limit this stall never ends
    void aStallIsCutByTheLowSpeedLimitEvenWithoutAnIdleReadTimeout() throws IOException {
        RangeServer mirror = rangeServer();
        RangeServer registry = rangeServer();
        String layer = image.layerDigests().get(1);
        mirror.fault(layer, Fault.stallAfter(150_000));
        Timeouts noIdleLimit = new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ZERO, 50_000, Duration.ofSeconds(1));

        PullResult result = pull(registry.port(), mirror.port(), noIdleLimit);

        assertThat(result.attempts()).filteredOn(a -> a.target().equals(Target.blob(layer)))
                .extracting(Attempt::outcome).containsExactly(Outcome.TIMEOUT, Outcome.OK);
        assertThat(registry.ranges(layer)).containsExactly("bytes=150000-");
        assertThat(result.bytesDownloaded()).isEqualTo(imageBytes());
    }

    @Test
    void zeroTurnsTheLowSpeedLimitOff() throws IOException {
        RangeServer mirror = rangeServer();
        RangeServer registry = rangeServer();
        mirror.throttle(40_000, 100); // about 400 KB/s: below a 1 MB/s limit, one second per layer

        PullResult limited = pull(registry.port(), mirror.port(), LIMITED.withLowSpeedLimit(1_000_000,
                Duration.ofMillis(500)));
        assertThat(attemptsOf(limited, mirror.port())).extracting(Attempt::outcome).containsExactly(Outcome.TIMEOUT);

        for (Timeouts off : List.of(LIMITED.withLowSpeedLimit(0, Duration.ofMillis(500)),
                LIMITED.withLowSpeedLimit(1_000_000, Duration.ZERO))) {
            Path fresh = store.resolve("fresh-" + off.speedLimit());
            var config = new RegistriesConfig(null, Map.of("127.0.0.1:" + registry.port(),
                    new Mirror(List.of("http://127.0.0.1:" + mirror.port()), Map.of())), Map.of(), List.of());
            PullResult result = Jpull.builder().config(config).store(fresh).timeouts(off).concurrency(1)
                    .dockerConfig(false).build().pull("127.0.0.1:" + registry.port() + "/" + image.repository() + ":1.0");
            assertThat(result.attempts()).as(off.toString()).isEmpty();
            assertThat(result.blobs()).allSatisfy(b ->
                    assertThat(b.endpoint()).isEqualTo("http://127.0.0.1:" + mirror.port() + "/v2"));
        }
    }

    @Test
    void aTricklingManifestFailsOverAsATimeout() {
        WireMockServer mirror = wiremock();
        WireMockServer registry = wiremock();
        image.serveAll(registry, "1.0");
        mirror.stubFor(get(urlPathEqualTo(image.manifestPath("1.0"))).willReturn(aResponse()
                .withHeader("Content-Type", MediaTypes.OCI_MANIFEST).withBody(image.manifest())
                .withChunkedDribbleDelay(40, 20_000))); // 500 ms between pieces of a few bytes

        PullResult result = pull(registry.port(), mirror.port(), LIMITED.withLowSpeedLimit(1000,
                Duration.ofSeconds(2)));

        assertThat(attemptsOf(result, mirror.port())).singleElement().satisfies(a -> {
            assertThat(a.target()).isEqualTo(Target.manifest("1.0"));
            assertThat(a.outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(a.error()).contains("slower than 1000 bytes/s for 2s");
            assertThat(a.durationMs()).isLessThan(10_000);
        });
        assertThat(result.digest()).isEqualTo(image.manifestDigest());
    }

    @Test
    void aTricklingTokenResponseFailsOverAsATimeout() {
        WireMockServer registry = wiremock();
        image.serveAll(registry, "1.0");
        WireMockServer mirror = mirrorWithTokenService(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("{\"token\":\"t\",\"padding\":\"" + "x".repeat(600) + "\"}")
                .withChunkedDribbleDelay(40, 20_000));

        PullResult result = pull(registry.port(), mirror.port(), LIMITED.withLowSpeedLimit(1000,
                Duration.ofSeconds(2)));

        assertThat(attemptsOf(result, mirror.port())).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(a.error()).contains("token service").contains("slower than 1000 bytes/s");
        });
        assertThat(result.digest()).isEqualTo(image.manifestDigest());
    }

    @Test
    void aHangingTokenServiceCostsOneHeaderTimeoutForTheWholeExchange() {
        WireMockServer registry = wiremock();
        image.serveAll(registry, "1.0");
        WireMockServer mirror = mirrorWithTokenService(aResponse().withFixedDelay(60_000)
                .withBody("{\"token\":\"t\"}"));
        // a 2 s header timeout; the idle-read timeout is long, so only the exchange's deadline can end the wait
        Timeouts timeouts = new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(40));

        long start = System.nanoTime();
        PullResult result = pull(registry.port(), mirror.port(), timeouts);
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        // one attempt on the mirror: its token service timing out makes it unhealthy, so the blobs go elsewhere
        assertThat(attemptsOf(result, mirror.port())).singleElement().satisfies(a -> {
            assertThat(a.target()).isEqualTo(Target.manifest("1.0"));
            assertThat(a.outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(a.error()).contains("token service").contains("2000 ms");
            assertThat(a.durationMs()).isBetween(1_500L, 4_000L); // about one header timeout, not two
        });
        assertThat(result.blobs()).allSatisfy(b ->
                assertThat(b.endpoint()).isEqualTo("http://127.0.0.1:" + registry.port() + "/v2"));
        assertThat(elapsedMs).isLessThan(15_000);
    }
}
