package dev.jpull.internal.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.jpull.Attempt;
import dev.jpull.BlobResult;
import dev.jpull.FailoverPolicy;
import dev.jpull.Hedging;
import dev.jpull.Jpull;
import dev.jpull.Outcome;
import dev.jpull.PullResult;
import dev.jpull.RegistriesConfig;
import dev.jpull.Mirror;
import dev.jpull.Target;
import dev.jpull.Timeouts;
import dev.jpull.internal.oci.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hedged requests and abandoned bodies (issue 11) against real HTTP servers: a mirror that never answers, one
 * that answers late, one whose body stalls and one that trickles, each in front of a good registry. Times are
 * asserted only as "less than the timeout it would otherwise have waited", never as a tight bound.
 */
class HedgingTest {
    private static final Duration HEADERS = Duration.ofSeconds(15);
    private static final Timeouts TIMEOUTS = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), HEADERS,
            HEADERS);

    private final TestImage image = TestImage.create("library/app", 3, 400_000, 23);
    private final List<AutoCloseable> servers = new ArrayList<>();

    @TempDir
    Path store;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable s : servers) {
            s.close();
        }
    }

    private WireMockServer wiremock() {
        WireMockServer s = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        s.start();
        servers.add(s::stop);
        return s;
    }

    private WireMockServer goodRegistry() {
        WireMockServer s = wiremock();
        image.serveAll(s, "1.0");
        return s;
    }

    private RangeServer rangeServer() throws IOException {
        RangeServer s = new RangeServer(image, "1.0");
        servers.add(s);
        return s;
    }

    private static String url(int port) {
        return "http://127.0.0.1:" + port;
    }

    private PullResult pull(int registry, FailoverPolicy policy, Timeouts timeouts, int concurrency,
                            int... mirrors) {
        List<String> endpoints = new ArrayList<>();
        for (int m : mirrors) {
            endpoints.add(url(m));
        }
        var config = new RegistriesConfig(null, Map.of("127.0.0.1:" + registry, new Mirror(endpoints, Map.of())),
                Map.of(), List.of());
        return Jpull.builder().config(config).store(store).timeouts(timeouts).failoverPolicy(policy)
                .concurrency(concurrency).dockerConfig(false).build()
                .pull("127.0.0.1:" + registry + "/" + image.repository() + ":1.0");
    }

    private static List<Outcome> outcomes(PullResult r, Target target) {
        return r.attempts().stream().filter(a -> a.target().equals(target)).map(Attempt::outcome).toList();
    }

    private void assertStored(PullResult result) {
        assertThat(result.digest()).isEqualTo(image.manifestDigest());
        for (int i = 0; i < image.layers().size(); i++) {
            assertThat(store.resolve("blobs/sha256/" + Digests.hex(image.layerDigests().get(i))))
                    .hasBinaryContent(image.layers().get(i));
        }
    }

    @Test
    void aMirrorThatNeverAnswersIsOvertakenByAHedgeOnceAndThenLeftAlone() {
        WireMockServer mirror = wiremock();
        mirror.stubFor(any(anyUrl()).willReturn(aResponse().withFixedDelay(60_000)));
        WireMockServer registry = goodRegistry();

        long start = System.nanoTime();
        PullResult result = pull(registry.port(), FailoverPolicy.DEFAULT, TIMEOUTS, 3, mirror.port());
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertStored(result);
        Target manifest = Target.manifest("1.0");
        assertThat(outcomes(result, manifest)).containsExactly(Outcome.HEDGED, Outcome.OK);
        assertThat(result.attempts()).filteredOn(a -> a.target().equals(manifest)).first().satisfies(a -> {
            assertThat(a.endpoint()).isEqualTo(url(mirror.port()) + "/v2");
            assertThat(a.error()).contains("hedge to " + url(registry.port()) + "/v2 answered");
        });
        assertThat(result.blobs()).extracting(BlobResult::endpoint).containsOnly(url(registry.port()) + "/v2");
        assertThat(mirror.getAllServeEvents()).as("the overtaken mirror gets no blob request").hasSize(1);
        assertThat(elapsedMs).as("less than the mirror's header timeout").isLessThan(HEADERS.toMillis());
    }

    @Test
    void theOvertakenRequestIsCancelled() throws Exception {
        try (SilentServer mirror = new SilentServer()) {
            WireMockServer registry = goodRegistry();

            PullResult result = pull(registry.port(), FailoverPolicy.DEFAULT, TIMEOUTS, 1, mirror.port());

            assertStored(result);
            assertThat(mirror.closed.await(30, TimeUnit.SECONDS)).as("jpull closed its connection to the mirror")
                    .isTrue();
            assertThat(mirror.connections).hasSize(1);
        }
    }

    @Test
    void atMostOneExtraRequestIsInFlight() {
        WireMockServer first = wiremock();
        WireMockServer second = wiremock();
        first.stubFor(any(anyUrl()).willReturn(aResponse().withFixedDelay(60_000)));
        second.stubFor(any(anyUrl()).willReturn(aResponse().withFixedDelay(60_000)));
        WireMockServer registry = goodRegistry();
        Timeouts threeSeconds = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(3),
                Duration.ofSeconds(3));
        FailoverPolicy policy = FailoverPolicy.DEFAULT.withHedging(Hedging.fixed(Duration.ofMillis(300)));

        PullResult result = pull(registry.port(), policy, threeSeconds, 1, first.port(), second.port());

        assertStored(result);
        assertThat(outcomes(result, Target.manifest("1.0")))
                .containsExactly(Outcome.TIMEOUT, Outcome.HEDGED, Outcome.OK);
        long firstAt = only(first).getLoggedDate().getTime();
        long secondAt = only(second).getLoggedDate().getTime();
        long registryAt = registry.getAllServeEvents().stream().mapToLong(e -> e.getRequest().getLoggedDate()
                .getTime()).min().orElseThrow();
        assertThat(secondAt).as("the hedge goes out after the hedge delay").isGreaterThanOrEqualTo(firstAt + 250);
        assertThat(registryAt).as("a third request only once the first timed out")
                .isGreaterThanOrEqualTo(firstAt + 2_900);
    }

    private static LoggedRequest only(WireMockServer server) {
        assertThat(server.getAllServeEvents()).hasSize(1);
        return server.getAllServeEvents().get(0).getRequest();
    }

    @Test
    void whenTheFirstEndpointAnswersBeforeTheHedgeItWinsAndKeepsItsPlace() {
        WireMockServer mirror = goodRegistry();
        mirror.stubFor(get(urlPathEqualTo(image.manifestPath("1.0"))).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .withHeader("Docker-Content-Digest", image.manifestDigest()).withBody(image.manifest())
                .withFixedDelay(1_000)));
        WireMockServer registry = wiremock();
        registry.stubFor(any(anyUrl()).willReturn(aResponse().withFixedDelay(60_000)));
        FailoverPolicy policy = FailoverPolicy.DEFAULT.withHedging(Hedging.fixed(Duration.ofMillis(300)));

        PullResult result = pull(registry.port(), policy, TIMEOUTS, 3, mirror.port());

        assertStored(result);
        assertThat(result.attempts()).filteredOn(a -> a.target().equals(Target.manifest("1.0")))
                .extracting(Attempt::endpoint, Attempt::outcome).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(url(registry.port()) + "/v2", Outcome.HEDGED),
                        org.assertj.core.groups.Tuple.tuple(url(mirror.port()) + "/v2", Outcome.OK));
        assertThat(result.blobs()).extracting(BlobResult::endpoint).containsOnly(url(mirror.port()) + "/v2");
    }

    @Test
    void withHedgingOffTheSecondEndpointIsAskedOnlyAfterTheFirstFailed() {
        WireMockServer mirror = wiremock();
        mirror.stubFor(any(anyUrl()).willReturn(aResponse().withFixedDelay(60_000)));
        WireMockServer registry = goodRegistry();
        Timeouts twoSeconds = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(2),
                Duration.ofSeconds(2));

        PullResult result = pull(registry.port(), FailoverPolicy.DEFAULT.withHedging(Hedging.OFF), twoSeconds, 1,
                mirror.port());

        assertStored(result);
        assertThat(outcomes(result, Target.manifest("1.0"))).containsExactly(Outcome.TIMEOUT, Outcome.OK);
        long mirrorAt = only(mirror).getLoggedDate().getTime();
        assertThat(registry.getAllServeEvents()).allSatisfy(e ->
                assertThat(e.getRequest().getLoggedDate().getTime()).isGreaterThanOrEqualTo(mirrorAt + 1_900));
    }

    @Test
    void aBodyThatStallsContinuesOnTheNextEndpointWithRangeLongBeforeTheIdleTimeout() throws IOException {
        RangeServer mirror = rangeServer();
        RangeServer registry = rangeServer();
        String layer = image.layerDigests().get(1);
        mirror.fault(layer, RangeServer.Fault.stallAfter(150_000));

        long start = System.nanoTime();
        PullResult result = pull(registry.port(), FailoverPolicy.DEFAULT, TIMEOUTS, 1, mirror.port());
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertStored(result);
        assertThat(outcomes(result, Target.blob(layer))).containsExactly(Outcome.STALLED, Outcome.OK);
        assertThat(registry.ranges(layer)).containsExactly("bytes=150000-");
        assertThat(elapsedMs).as("less than the 15 s idle-read timeout").isLessThan(HEADERS.toMillis());
        assertThat(result.blobs()).filteredOn(b -> b.digest().equals(image.layerDigests().get(2)))
                .extracting(BlobResult::endpoint).as("the stalled mirror is tried last afterwards")
                .containsExactly(url(registry.port()) + "/v2");
    }

    @Test
    void bodiesFromAFarSlowerMirrorMoveToTheFasterEndpoint() throws IOException {
        RangeServer mirror = rangeServer();
        RangeServer registry = rangeServer();
        mirror.throttle(2_000, 100); // about 20 KB/s per body: the mirror alone needs a minute

        long start = System.nanoTime();
        PullResult result = pull(registry.port(), FailoverPolicy.DEFAULT, TIMEOUTS, 3, mirror.port());
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertStored(result);
        assertThat(result.attempts()).extracting(Attempt::outcome).contains(Outcome.SLOW);
        assertThat(result.attempts()).filteredOn(a -> a.outcome() == Outcome.SLOW).allSatisfy(a ->
                assertThat(a.endpoint()).isEqualTo(url(mirror.port()) + "/v2"));
        assertThat(mirror.blobBytesSent()).as("most bytes came from the faster endpoint")
                .isLessThan(image.layers().size() * 400_000L / 2);
        assertThat(elapsedMs).as("far less than the mirror alone").isLessThan(30_000);
    }

    /** Accepts connections and reads requests, never answers; counts down {@link #closed} when jpull hangs up. */
    private static final class SilentServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<Socket> connections = java.util.Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch closed = new CountDownLatch(1);

        SilentServer() throws IOException {
            Thread t = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        connections.add(s);
                        Thread reader = new Thread(() -> drain(s));
                        reader.setDaemon(true);
                        reader.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
        }

        private void drain(Socket s) {
            try (InputStream in = s.getInputStream()) {
                byte[] buf = new byte[4096];
                while (in.read(buf) != -1) {
                    // the request; no answer ever
                }
                closed.countDown(); // end of stream: the client closed the connection
            } catch (IOException e) {
                closed.countDown(); // reset by the client: closed as well
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : connections) {
                s.close();
            }
        }
    }
}
