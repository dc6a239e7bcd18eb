package dev.jpull.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.jpull.Target;
import dev.jpull.Attempt;
import dev.jpull.Jpull;
import dev.jpull.Outcome;
import dev.jpull.PullResult;
import dev.jpull.RegistriesConfig;
import dev.jpull.internal.oci.Digests;
import dev.jpull.testdata.Image;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.RegistryFixture.Mode;
import dev.jpull.testdata.Skopeo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mirrors {@code [fault, real registry]} for the faults a proxy in front of the registry cannot produce: the first
 * mirror answers every request with an HTTP-level fault (5xx, 429 with both Retry-After forms, a redirect to the
 * registry under another host name, an oversized or non-JSON manifest); the real registry behind it must serve the
 * pull with the digest skopeo reports.
 */
class StatusFaultMirrorIT {
    private static RegistryFixture registry;
    private static Image image;
    private static Path layouts;

    @TempDir
    Path tmp;

    @BeforeAll
    static void seed() throws Exception {
        layouts = Files.createTempDirectory("jpull-status-fault");
        registry = RegistryFixture.start(Mode.PLAIN);
        image = new ImageGenerator(31).singlePlatform(layouts.resolve("layout"), "app", 3, 200_000);
        Skopeo.copyToRegistry(image.layoutDir(), "app", registry, "library/app:1.0");
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    static Stream<Arguments> faults() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(120));
        byte[] huge = new byte[5 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) ' ');
        huge[0] = '{';
        huge[huge.length - 1] = '}';
        return Stream.of(
                Arguments.of("500", Outcome.SERVER_ERROR, (Function<Integer, ResponseDefinitionBuilder>)
                        p -> aResponse().withStatus(500)),
                Arguments.of("502", Outcome.SERVER_ERROR, (Function<Integer, ResponseDefinitionBuilder>)
                        p -> aResponse().withStatus(502)),
                Arguments.of("503", Outcome.SERVER_ERROR, (Function<Integer, ResponseDefinitionBuilder>)
                        p -> aResponse().withStatus(503)),
                Arguments.of("429 Retry-After seconds", Outcome.THROTTLED,
                        (Function<Integer, ResponseDefinitionBuilder>)
                                p -> aResponse().withStatus(429).withHeader("Retry-After", "120")),
                Arguments.of("429 Retry-After HTTP-date", Outcome.THROTTLED,
                        (Function<Integer, ResponseDefinitionBuilder>)
                                p -> aResponse().withStatus(429).withHeader("Retry-After", date)),
                Arguments.of("oversized manifest", Outcome.PROTOCOL_ERROR,
                        (Function<Integer, ResponseDefinitionBuilder>) p -> aResponse().withBody(huge)),
                Arguments.of("non-JSON body", Outcome.PROTOCOL_ERROR, (Function<Integer, ResponseDefinitionBuilder>)
                        p -> aResponse().withHeader("Content-Type", "text/html").withBody("<html>login</html>")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void theRealRegistryServesThePullWhenTheFirstMirrorFails(String name, Outcome expected,
                                                            Function<Integer, ResponseDefinitionBuilder> fault)
            throws Exception {
        WireMockServer mirror = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        mirror.start();
        try {
            mirror.stubFor(any(anyUrl()).willReturn(fault.apply(registry.port())));

            PullResult r = pull(mirror);

            assertThat(r.digest()).isEqualTo(Skopeo.inspectDigest(registry, "library/app:1.0"));
            assertThat(r.imageId()).isEqualTo(image.configDigest());
            assertThat(r.endpoint()).isEqualTo("http://" + registry.hostPort() + "/v2");
            // the manifest request meets the fault; blob requests may meet it in another form (a long or short body)
            assertThat(r.attempts()).filteredOn(a -> a.endpoint().equals("http://127.0.0.1:" + mirror.port() + "/v2")
                            && a.target().kind() == Target.Kind.MANIFEST)
                    .isNotEmpty().extracting(Attempt::outcome).containsOnly(expected);
            assertStoreVerified(r);
        } finally {
            mirror.stop();
        }
    }

    @ParameterizedTest(name = "307 to the registry under another host name")
    @MethodSource("redirectOnly")
    void aBlobRedirectToAnotherHostIsFollowed(String ignored) throws Exception {
        WireMockServer mirror = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        mirror.start();
        try {
            // the mirror has no manifest; its layers redirect to the real registry, named "localhost" there
            mirror.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(404)));
            String base = "http://localhost:" + registry.port();
            for (String blob : image.layerDigests()) {
                mirror.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                        com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(
                                "/v2/library/app/blobs/" + blob))
                        .willReturn(aResponse().withStatus(307)
                                .withHeader("Location", base + "/v2/library/app/blobs/" + blob)));
            }

            PullResult r = pull(mirror);

            assertThat(r.digest()).isEqualTo(Skopeo.inspectDigest(registry, "library/app:1.0"));
            // the layers came through the mirror's redirects, verified like any other bytes
            assertThat(r.blobs()).filteredOn(b -> image.layerDigests().contains(b.digest()))
                    .allSatisfy(b -> assertThat(b.endpoint()).isEqualTo("http://127.0.0.1:" + mirror.port() + "/v2"));
            assertStoreVerified(r);
        } finally {
            mirror.stop();
        }
    }

    static Stream<String> redirectOnly() {
        return Stream.of("307");
    }

    private PullResult pull(WireMockServer mirror) throws Exception {
        Path yaml = tmp.resolve("registries.yaml");
        Files.writeString(yaml, "mirrors:\n  \"" + registry.hostPort() + "\":\n    endpoint:\n      - \"http://127.0.0.1:"
                + mirror.port() + "\"\n");
        // status faults, not hedging: a fault answered slowly on a busy machine must not be overtaken by a hedge
        return Jpull.builder().config(RegistriesConfig.load(yaml)).store(tmp.resolve("store"))
                .failoverPolicy(dev.jpull.FailoverPolicy.DEFAULT.withHedging(dev.jpull.Hedging.OFF)).build()
                .pull(registry.hostPort() + "/library/app:1.0");
    }

    private void assertStoreVerified(PullResult r) throws Exception {
        for (var b : r.blobs()) {
            Path blob = tmp.resolve("store/blobs/sha256/" + Digests.hex(b.digest()));
            assertThat(Digests.sha256(Files.readAllBytes(blob))).isEqualTo(b.digest());
        }
    }
}
