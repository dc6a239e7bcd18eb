package dev.jpull.internal.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.jpull.FailoverPolicy;
import dev.jpull.Hedging;
import dev.jpull.Target;
import dev.jpull.Attempt;
import dev.jpull.Jpull;
import dev.jpull.Outcome;
import dev.jpull.PullFailedException;
import dev.jpull.PullResult;
import dev.jpull.Mirror;
import dev.jpull.RegistriesConfig;
import dev.jpull.Timeouts;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One WireMock scenario per fault: the mirror misbehaves on one layer, the registry behind it is good. The pull
 * must succeed with the right bytes, classify the mirror's failure, and not wait longer than the timeouts allow.
 */
class FaultScenariosTest {
    /** These tests are about timeouts and classification: hedging ({@code HedgingTest}) would overtake them. */
    private static final FailoverPolicy NO_HEDGING = FailoverPolicy.DEFAULT.withHedging(Hedging.OFF);
    private static final Timeouts FAST = new Timeouts(Duration.ofMillis(500), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(1));

    private final WireMockServer mirror = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    private final WireMockServer registry = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    private final TestImage image = TestImage.create("library/app", 3, 300_000, 11);

    @TempDir
    Path store;

    @BeforeEach
    void start() {
        mirror.start();
        registry.start();
        image.serveAll(mirror, "1.0");
        image.serveAll(registry, "1.0");
    }

    @AfterEach
    void stop() {
        mirror.stop();
        registry.stop();
    }

    private Jpull jpull(Timeouts timeouts) {
        var config = new RegistriesConfig(null, Map.of("127.0.0.1:" + registry.port(),
                new Mirror(List.of("http://127.0.0.1:" + mirror.port()), Map.of())), Map.of(), List.of());
        return Jpull.builder().config(config).store(store).timeouts(timeouts)
                .failoverPolicy(NO_HEDGING).concurrency(1).build();
    }

    private String ref() {
        return "127.0.0.1:" + registry.port() + "/" + image.repository() + ":1.0";
    }

    static Stream<Arguments> blobFaults() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(120));
        return Stream.of(
                fault("reset before the body", Outcome.REFUSED, b -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)),
                fault("garbage then close", Outcome.PROTOCOL_ERROR, b -> aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)),
                fault("malformed chunk mid-body", Outcome.TRUNCATED, b -> aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)),
                fault("stall mid-body", Outcome.TIMEOUT, b -> aResponse().withBody(b).withChunkedDribbleDelay(4, 20_000)),
                fault("no answer", Outcome.TIMEOUT, b -> aResponse().withBody(b).withFixedDelay(20_000)),
                fault("500", Outcome.SERVER_ERROR, b -> aResponse().withStatus(500)),
                fault("502", Outcome.SERVER_ERROR, b -> aResponse().withStatus(502)),
                fault("503", Outcome.SERVER_ERROR, b -> aResponse().withStatus(503)),
                fault("429 Retry-After seconds", Outcome.THROTTLED,
                        b -> aResponse().withStatus(429).withHeader("Retry-After", "120")),
                fault("429 Retry-After HTTP-date", Outcome.THROTTLED,
                        b -> aResponse().withStatus(429).withHeader("Retry-After", date)),
                fault("corrupted bytes", Outcome.DIGEST_MISMATCH, b -> {
                    byte[] c = b.clone();
                    c[c.length / 2] ^= 0x55;
                    return aResponse().withBody(c);
                }),
                fault("wrong size", Outcome.DIGEST_MISMATCH,
                        b -> aResponse().withBody(java.util.Arrays.copyOf(b, b.length + 10))),
                fault("403", Outcome.FORBIDDEN, b -> aResponse().withStatus(403)
                        .withBody("{\"errors\":[{\"code\":\"DENIED\",\"message\":\"requested access to the resource is denied\"}]}")));
    }

    private static Arguments fault(String name, Outcome outcome, Function<byte[], ResponseDefinitionBuilder> rsp) {
        return Arguments.of(name, outcome, rsp);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blobFaults")
    void aFaultyMirrorBlobIsTakenFromTheNextEndpoint(String name, Outcome expected,
                                                    Function<byte[], ResponseDefinitionBuilder> response) {
        String layer = image.layerDigests().get(1);
        mirror.stubFor(get(urlPathEqualTo(image.blobPath(layer))).willReturn(response.apply(image.layers().get(1))));

        long start = System.nanoTime();
        PullResult result = jpull(FAST).pull(ref());
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(result.digest()).isEqualTo(image.manifestDigest());
        assertThat(result.attempts()).filteredOn(a -> a.target().equals(Target.blob(layer)))
                .extracting(Attempt::outcome).containsExactly(expected, Outcome.OK);
        assertThat(result.blobs()).filteredOn(b -> b.digest().equals(layer))
                .extracting(b -> b.endpoint()).containsExactly("http://127.0.0.1:" + registry.port() + "/v2");
        assertThat(store.resolve("blobs/sha256/" + layer.substring(7))).hasBinaryContent(image.layers().get(1));
        // at most one header/idle timeout (1 s) plus slack: never the 20 s the mirror would take
        assertThat(elapsedMs).isLessThan(8_000);
    }

    @Test
    void aNeverAnsweringMirrorCostsOneTimeoutPerPullNotOnePerBlob() {
        mirror.resetAll();
        mirror.stubFor(com.github.tomakehurst.wiremock.client.WireMock.any(
                com.github.tomakehurst.wiremock.client.WireMock.anyUrl()).willReturn(aResponse().withFixedDelay(20_000)));

        PullResult result = jpull(FAST).pull(ref());

        assertThat(result.attempts()).filteredOn(a -> a.outcome() == Outcome.TIMEOUT).hasSize(1);
        assertThat(result.blobs()).hasSize(4);
    }

    @Test
    void aThrottledMirrorIsAvoidedUntilItsRetryAfterHasPassed() {
        mirror.stubFor(get(urlPathEqualTo(image.blobPath(image.configDigest())))
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "60")));

        PullResult result = jpull(FAST).pull(ref());

        assertThat(result.attempts()).filteredOn(a -> a.outcome() == Outcome.THROTTLED).hasSize(1)
                .allSatisfy(a -> assertThat(a.error()).contains("Retry-After: 60"));
        // the layers after the config went straight to the registry
        for (String layer : image.layerDigests()) {
            mirror.verify(0, getRequestedFor(urlPathEqualTo(image.blobPath(layer))));
        }
    }

    @Test
    void whenTheOnlyEndpointIsThrottledItWaitsForRetryAfterThenSucceeds() {
        registry.stubFor(get(urlPathEqualTo(image.blobPath(image.configDigest()))).inScenario("throttle")
                .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1"))
                .willSetStateTo("open"));
        registry.stubFor(get(urlPathEqualTo(image.blobPath(image.configDigest()))).inScenario("throttle")
                .whenScenarioStateIs("open").willReturn(aResponse().withBody(image.config())));
        var config = RegistriesConfig.empty();

        long start = System.nanoTime();
        PullResult result = Jpull.builder().config(config).store(store).timeouts(FAST).build().pull(ref());

        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(900);
        assertThat(result.attempts()).extracting(Attempt::outcome).containsExactly(Outcome.THROTTLED, Outcome.OK);
    }

    @Test
    void aRedirectOutsideHttpIsRefusedAndTheBlobTakenFromTheNextEndpoint() {
        String layer = image.layerDigests().get(0);
        mirror.stubFor(get(urlPathEqualTo(image.blobPath(layer))).willReturn(aResponse().withStatus(307)
                .withHeader("Location", "file:///etc/passwd")));

        PullResult result = jpull(FAST).pull(ref());

        assertThat(result.attempts()).filteredOn(a -> a.target().equals(Target.blob(layer))).first().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(Outcome.PROTOCOL_ERROR);
            assertThat(a.error()).contains("redirect");
        });
        assertThat(store.resolve("blobs/sha256/" + layer.substring(7))).hasBinaryContent(image.layers().get(0));
    }

    @Test
    void aZeroHeaderTimeoutMeansNoLimitNotAnImmediateTimeout() {
        Timeouts none = new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO);

        PullResult result = jpull(none).pull(ref());

        assertThat(result.attempts()).isEmpty();
    }

    @Test
    void anOversizedManifestIsRefusedAndTakenFromTheNextEndpoint() {
        byte[] huge = new byte[5 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) ' ');
        huge[0] = '{';
        huge[huge.length - 1] = '}';
        mirror.stubFor(get(urlPathEqualTo(image.manifestPath("1.0"))).willReturn(aResponse().withBody(huge)));

        PullResult result = jpull(FAST).pull(ref());

        assertThat(result.attempts()).first().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(Outcome.PROTOCOL_ERROR);
            assertThat(a.error()).contains("larger than");
        });
        assertThat(result.digest()).isEqualTo(image.manifestDigest());
    }

    @Test
    void aNonJsonManifestIsAProtocolErrorNamingTheEndpoint() {
        mirror.stubFor(get(urlPathEqualTo(image.manifestPath("1.0"))).willReturn(aResponse()
                .withHeader("Content-Type", "text/html").withBody("<html>login</html>")));
        registry.resetAll();

        assertThatThrownBy(() -> jpull(FAST).pull(ref())).isInstanceOfSatisfying(PullFailedException.class, e -> {
            assertThat(e.attempts()).first().satisfies(a -> {
                assertThat(a.outcome()).isEqualTo(Outcome.PROTOCOL_ERROR);
                assertThat(a.endpoint()).isEqualTo("http://127.0.0.1:" + mirror.port() + "/v2");
                assertThat(a.error()).contains("not JSON");
            });
            assertThat(e.getMessage()).contains("127.0.0.1:" + mirror.port()).contains("protocol-error");
        });
    }
}
