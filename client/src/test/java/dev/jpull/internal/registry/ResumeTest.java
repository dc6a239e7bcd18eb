package dev.jpull.internal.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.jpull.FailoverPolicy;
import dev.jpull.Hedging;
import dev.jpull.Target;
import dev.jpull.Attempt;
import dev.jpull.Jpull;
import dev.jpull.Outcome;
import dev.jpull.PullListener;
import dev.jpull.PullResult;
import dev.jpull.Mirror;
import dev.jpull.RegistriesConfig;
import dev.jpull.Timeouts;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.registry.RangeServer.Fault;
import dev.jpull.internal.store.OciStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Resuming blobs: a body cut half way continues with {@code Range: bytes=N-} on the next endpoint (or the same
 * one when it is the only one), a bad 206 is refused, a 200 restarts the blob, and a partial left in the store's
 * {@code ingest/} by an earlier run is continued, or thrown away when its bytes turn out wrong.
 */
class ResumeTest {
    /** Timeouts and Range mechanics, one rule at a time: hedging ({@code HedgingTest}) would overtake them. */
    private static final FailoverPolicy NO_HEDGING = FailoverPolicy.DEFAULT.withHedging(Hedging.OFF);
    private static final Timeouts FAST = new Timeouts(Duration.ofMillis(500), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(1));
    private static final int SIZE = 400_000;
    private static final int K = 150_000;

    private final TestImage image = TestImage.create("library/app", 3, SIZE, 21);
    private final String layer = image.layerDigests().get(1);
    private RangeServer mirror;
    private RangeServer registry;
    private WireMockServer wiremock;

    @TempDir
    Path store;

    @AfterEach
    void stop() throws IOException {
        if (mirror != null) {
            mirror.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (wiremock != null) {
            wiremock.stop();
        }
    }

    private void startBoth() throws IOException {
        mirror = new RangeServer(image, "1.0");
        registry = new RangeServer(image, "1.0");
    }

    private PullResult pullWithMirror(int registryPort, int mirrorPort) {
        var config = new RegistriesConfig(null, Map.of("127.0.0.1:" + registryPort,
                new Mirror(List.of("http://127.0.0.1:" + mirrorPort), Map.of())), Map.of(), List.of());
        return Jpull.builder().config(config).store(store).timeouts(FAST).failoverPolicy(NO_HEDGING).concurrency(1)
                .build()
                .pull(ref(registryPort));
    }

    private PullResult pullAlone(int registryPort) {
        return Jpull.builder().store(store).timeouts(FAST).failoverPolicy(NO_HEDGING).concurrency(1).build()
                .pull(ref(registryPort));
    }

    private String ref(int registryPort) {
        return "127.0.0.1:" + registryPort + "/" + image.repository() + ":1.0";
    }

    /** Every byte of the image exactly once: nothing was downloaded twice. */
    private long imageBytes() {
        return image.manifest().length + image.config().length + (long) SIZE * image.layers().size();
    }

    private List<Outcome> outcomes(PullResult result, String digest) {
        return result.attempts().stream().filter(a -> a.target().equals(Target.blob(digest)))
                .map(Attempt::outcome).toList();
    }

    private void assertStoreHoldsTheImage() throws IOException {
        for (int i = 0; i < image.layers().size(); i++) {
            assertThat(store.resolve("blobs/sha256/" + Digests.hex(image.layerDigests().get(i))))
                    .hasBinaryContent(image.layers().get(i));
        }
        try (Stream<Path> ingest = Files.list(store.resolve("ingest"))) {
            assertThat(ingest.filter(p -> p.toString().endsWith(".partial"))).isEmpty();
        }
    }

    private void leavePartial(byte[] prefix) {
        Path partial = OciStore.open(store).partialPath(layer);
        try {
            Files.write(partial, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Arguments> cuts() {
        return Stream.of(
                Arguments.of("connection closed early", Fault.closeAfter(K), Outcome.TRUNCATED, true),
                Arguments.of("connection reset", Fault.resetAfter(K), Outcome.TRUNCATED, false),
                Arguments.of("body stalls", Fault.stallAfter(K), Outcome.TIMEOUT, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cuts")
    void aBodyCutHalfWayContinuesWithRangeOnTheNextEndpoint(String name, Fault fault, Outcome outcome,
                                                           boolean exact) throws IOException {
        startBoth();
        mirror.fault(layer, fault);

        PullResult result = pullWithMirror(registry.port(), mirror.port());

        assertThat(outcomes(result, layer)).containsExactly(outcome, Outcome.OK);
        List<String> ranges = registry.ranges(layer);
        assertThat(ranges).hasSize(1);
        long n = Long.parseLong(ranges.get(0).replaceAll("bytes=(\\d+)-", "$1"));
        if (exact) {
            assertThat(ranges).containsExactly("bytes=" + K + "-");
        } else {
            assertThat(n).isBetween(1L, (long) K); // what arrived before the reset
        }
        assertThat(result.bytesDownloaded()).isEqualTo(imageBytes());
        assertThat(registry.blobBytesSent(layer)).isEqualTo(SIZE - n);
        assertThat(result.blobs()).filteredOn(b -> b.digest().equals(layer)).singleElement()
                .satisfies(b -> assertThat(b.endpoint()).isEqualTo("http://127.0.0.1:" + registry.port() + "/v2"));
        assertStoreHoldsTheImage();
    }

    @Test
    void theOnlyEndpointCutHalfWayIsAskedAgainWithRange() throws IOException {
        registry = new RangeServer(image, "1.0");
        registry.fault(layer, Fault.closeAfter(K));

        PullResult result = pullAlone(registry.port());

        assertThat(outcomes(result, layer)).containsExactly(Outcome.TRUNCATED, Outcome.OK);
        assertThat(registry.ranges(layer)).containsExactly(null, "bytes=" + K + "-");
        assertThat(result.bytesDownloaded()).isEqualTo(imageBytes());
        assertStoreHoldsTheImage();
    }

    @Test
    void theOnlyEndpointStallingHalfWayIsAskedAgainWithRangeWhileItMakesProgress() throws IOException {
        registry = new RangeServer(image, "1.0");
        registry.fault(layer, Fault.stallAfter(K), Fault.stallAfter(K));

        PullResult result = pullAlone(registry.port());

        assertThat(outcomes(result, layer)).containsExactly(Outcome.TIMEOUT, Outcome.TIMEOUT, Outcome.OK);
        assertThat(registry.ranges(layer)).containsExactly(null, "bytes=" + K + "-", "bytes=" + 2 * K + "-");
        assertThat(result.bytesDownloaded()).isEqualTo(imageBytes());
        assertStoreHoldsTheImage();
    }

    @Test
    void a206ForOtherBytesIsRefusedAndTheNextEndpointResumes() throws IOException {
        startBoth();
        mirror.fault(layer, Fault.closeAfter(K));
        registry.fault(layer, Fault.wrongRangeStart());
        // plan: mirror (cut at K), registry (206 for bytes 0-), then the mirror again (retry round) with Range

        PullResult result = pullWithMirror(registry.port(), mirror.port());

        assertThat(outcomes(result, layer)).containsExactly(Outcome.TRUNCATED, Outcome.PROTOCOL_ERROR, Outcome.OK);
        assertThat(result.attempts()).filteredOn(a -> a.outcome() == Outcome.PROTOCOL_ERROR).singleElement()
                .satisfies(a -> assertThat(a.error()).contains("Content-Range \"bytes 0-" + (SIZE - 1) + "/" + SIZE));
        assertThat(registry.ranges(layer)).containsExactly("bytes=" + K + "-");
        assertThat(mirror.ranges(layer)).containsExactly(null, "bytes=" + K + "-");
        assertStoreHoldsTheImage();
    }

    @Test
    void aServerIgnoringRangeRestartsTheBlobFromZero() throws IOException {
        startBoth();
        mirror.fault(layer, Fault.closeAfter(K));
        registry.fault(layer, Fault.ignoreRange());

        PullResult result = pullWithMirror(registry.port(), mirror.port());

        assertThat(outcomes(result, layer)).containsExactly(Outcome.TRUNCATED, Outcome.OK);
        assertThat(registry.ranges(layer)).containsExactly("bytes=" + K + "-");
        assertThat(registry.blobBytesSent(layer)).isEqualTo(SIZE);
        assertThat(result.bytesDownloaded()).isEqualTo(imageBytes() + K);
        assertStoreHoldsTheImage();
    }

    @Test
    void aPartialLeftByAnEarlierRunIsContinuedWithRange() throws IOException {
        wiremock = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        wiremock.start();
        image.serveAll(wiremock, "1.0");
        byte[] bytes = image.layers().get(1);
        wiremock.stubFor(get(urlPathEqualTo(image.blobPath(layer))).withHeader("Range", equalTo("bytes=" + K + "-"))
                .willReturn(aResponse().withStatus(206)
                        .withHeader("Content-Range", "bytes " + K + "-" + (SIZE - 1) + "/" + SIZE)
                        .withBody(Arrays.copyOfRange(bytes, K, SIZE))));
        leavePartial(Arrays.copyOf(bytes, K));

        PullResult result = pullAlone(wiremock.port());

        wiremock.verify(1, getRequestedFor(urlPathEqualTo(image.blobPath(layer))));
        wiremock.verify(getRequestedFor(urlPathEqualTo(image.blobPath(layer))).withHeader("Range",
                equalTo("bytes=" + K + "-")));
        wiremock.verify(getRequestedFor(urlPathEqualTo(image.blobPath(image.layerDigests().get(0))))
                .withHeader("Range", absent()));
        assertThat(result.attempts()).isEmpty();
        assertThat(result.bytesDownloaded()).isEqualTo(imageBytes() - K);
        assertStoreHoldsTheImage();
    }

    @Test
    void aDownloadThatContinuesAnEarlierRunsPartialIsReportedOnceAsResumed() throws IOException {
        startBoth();
        registry.fault(layer, Fault.closeAfter(K)); // after resuming, the body is cut: the retry is not reported
        leavePartial(Arrays.copyOf(image.layers().get(1), 1000));
        List<String> resumed = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        PullListener listener = new PullListener() {
            @Override
            public void blobResumed(dev.jpull.PullContext pull, String digest, long offset, long size) {
                resumed.add(digest + " " + offset + " " + size);
            }
        };
        var config = new RegistriesConfig(null, Map.of("127.0.0.1:" + registry.port(),
                new Mirror(List.of("http://127.0.0.1:" + mirror.port()), Map.of())), Map.of(), List.of());
        mirror.fault(layer, Fault.closeAfter(K));

        Jpull.builder().config(config).store(store).timeouts(FAST).failoverPolicy(NO_HEDGING).concurrency(1)
                .listener(listener).build()
                .pull(ref(registry.port()));

        assertThat(resumed).containsExactly(layer + " 1000 " + SIZE);
        assertStoreHoldsTheImage();
    }

    @Test
    void aCorruptPartialIsFoundAtTheEndAndTheBlobIsFetchedAgainFromZeroOnTheNextEndpoint() throws IOException {
        startBoth();
        byte[] prefix = Arrays.copyOf(image.layers().get(1), K);
        prefix[K / 2] ^= 0x5A;
        leavePartial(prefix);

        PullResult result = pullWithMirror(registry.port(), mirror.port());

        assertThat(outcomes(result, layer)).containsExactly(Outcome.DIGEST_MISMATCH, Outcome.OK);
        assertThat(result.attempts()).first().satisfies(a -> assertThat(a.error()).contains("resumed at byte " + K));
        assertThat(mirror.ranges(layer)).containsExactly("bytes=" + K + "-");
        assertThat(registry.ranges(layer)).containsExactly((String) null);
        assertStoreHoldsTheImage();
    }

    @Test
    void aCorruptPartialWithASingleEndpointIsFetchedAgainFromZero() throws IOException {
        registry = new RangeServer(image, "1.0");
        byte[] prefix = Arrays.copyOf(image.layers().get(1), K);
        prefix[0] ^= 0x01;
        leavePartial(prefix);

        PullResult result = pullAlone(registry.port());

        assertThat(outcomes(result, layer)).containsExactly(Outcome.DIGEST_MISMATCH, Outcome.OK);
        assertThat(registry.ranges(layer)).containsExactly("bytes=" + K + "-", null);
        assertStoreHoldsTheImage();
    }

    @Test
    void aPartialLongerThanTheBlobIsDiscarded() throws IOException {
        registry = new RangeServer(image, "1.0");
        leavePartial(Arrays.copyOf(image.layers().get(1), SIZE + 10));

        PullResult result = pullAlone(registry.port());

        assertThat(result.attempts()).isEmpty();
        assertThat(registry.ranges(layer)).containsExactly((String) null);
        assertStoreHoldsTheImage();
    }

    @Test
    void aCompletePartialLeftByAnInterruptedRunIsCommittedWithoutARequest() throws IOException {
        registry = new RangeServer(image, "1.0");
        leavePartial(image.layers().get(1));

        PullResult result = pullAlone(registry.port());

        assertThat(registry.ranges(layer)).isEmpty();
        assertThat(result.blobs()).filteredOn(b -> b.digest().equals(layer)).singleElement()
                .satisfies(b -> assertThat(b.cached()).isTrue());
        assertStoreHoldsTheImage();
    }
}
