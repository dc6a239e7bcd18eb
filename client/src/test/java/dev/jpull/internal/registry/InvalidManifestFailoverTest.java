package dev.jpull.internal.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.jpull.Target;
import dev.jpull.Attempt;
import dev.jpull.FailoverPolicy;
import dev.jpull.Hedging;
import dev.jpull.Jpull;
import dev.jpull.Outcome;
import dev.jpull.PullFailedException;
import dev.jpull.PullResult;
import dev.jpull.Mirror;
import dev.jpull.RegistriesConfig;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A hostile first endpoint serves a manifest that is valid JSON but not a valid manifest; the second endpoint is
 * good. The bad manifest counts against the first endpoint (protocol-error, with a message naming the field in the
 * manifest's terms) and the pull completes from the second, exactly as for a manifest that is not JSON.
 */
class InvalidManifestFailoverTest {
    /** About classifying the mirror's answer: a hedge to the next endpoint (HedgingTest) would overtake a slow one. */
    private static final FailoverPolicy NO_HEDGING = FailoverPolicy.DEFAULT.withHedging(Hedging.OFF);

    private final WireMockServer mirror = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    private final WireMockServer registry = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    private final TestImage image = TestImage.create("library/app", 3, 2_000, 5);

    @TempDir
    Path store;

    @BeforeEach
    void start() {
        mirror.start();
        registry.start();
        image.serveAll(registry, "1.0");
    }

    @AfterEach
    void stop() {
        mirror.stop();
        registry.stop();
    }

    private Jpull jpull() {
        var config = new RegistriesConfig(null, Map.of("127.0.0.1:" + registry.port(),
                new Mirror(List.of(mirrorUrl()), Map.of())), Map.of(), List.of());
        return Jpull.builder().config(config).store(store).concurrency(1).failoverPolicy(NO_HEDGING).build();
    }

    private String mirrorUrl() {
        return "http://127.0.0.1:" + mirror.port();
    }

    private String ref() {
        return "127.0.0.1:" + registry.port() + "/" + image.repository() + ":1.0";
    }

    private String manifest() {
        return new String(image.manifest(), StandardCharsets.UTF_8);
    }

    private String layer(int i) {
        return image.layerDigests().get(i);
    }

    static Stream<Arguments> hostileManifests() {
        return Stream.<Object[]>of(
                new Object[] {"size with a fraction", (Edit) (t, m) -> t.resize(m, 2, t.size(2) + ".5"),
                        "layers[2].size: expected an integer (int64), got the number"},
                new Object[] {"size as a string", (Edit) (t, m) -> t.resize(m, 2, "\"" + t.size(2) + "\""),
                        "layers[2].size: expected an integer (int64), got a string"},
                new Object[] {"size with an exponent", (Edit) (t, m) -> t.resize(m, 2, "2e3"), "layers[2].size: expected an integer (int64), got the number 2000.0"},
                new Object[] {"negative size", (Edit) (t, m) -> t.resize(m, 0, "-1"),
                        "layers[0].size: expected a non-negative integer, got -1"},
                new Object[] {"size past int64", (Edit) (t, m) -> t.resize(m, 1,
                        "9223372036854775808"), "layers[1].size: integer 9223372036854775808 does not fit"},
                new Object[] {"invalid layer digest", (Edit) (t, m) -> m.replace(t.layer(1), "sha256:abc"),
                        "layers[1].digest: \"sha256:abc\": sha256 needs exactly 64 lowercase hex digits"},
                new Object[] {"missing config", (Edit) (t, m) -> m.replace("\"config\":", "\"konfig\":"),
                        "invalid image manifest: config: missing (expected the config descriptor)"},
                new Object[] {"layer without mediaType", (Edit) (t, m) -> m.replace(
                        "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",", "{"),
                        "layers[0].mediaType: missing (expected a string)"},
                new Object[] {"schemaVersion 3", (Edit) (t, m) -> m.replace("\"schemaVersion\":2", "\"schemaVersion\":3"),
                        "schemaVersion: expected 2, got 3"},
                new Object[] {"index without manifests", (Edit) (t, m) -> "{\"schemaVersion\":2,\"mediaType\":\""
                        + MediaTypes.OCI_INDEX + "\"}", "invalid index: manifests: missing"},
                new Object[] {"config of the wrong type", (Edit) (t, m) -> m.replaceFirst("\"config\":\\{[^}]*}",
                        "\"config\":\"none\""), "config: expected a descriptor (a JSON object), got a string \"none\""},
                new Object[] {"duplicate config key", (Edit) (t, m) -> m.replace("\"layers\":",
                        "\"config\":{},\"layers\":"), "manifest has a duplicate key \"config\""}
        ).map(Arguments::of);
    }

    @FunctionalInterface
    interface Edit {
        String apply(InvalidManifestFailoverTest test, String manifest);
    }

    /** {@code manifest} with the size of layer {@code i} written as {@code json}. */
    private String resize(String manifest, int i, String json) {
        String digest = "\"digest\":\"" + layer(i) + "\",\"size\":";
        return manifest.replace(digest + size(i), digest + json);
    }

    private String size(int layer) {
        return String.valueOf(image.layers().get(layer).length);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("hostileManifests")
    void anInvalidManifestCountsAgainstItsEndpointAndTheNextOneServes(String name, Edit edit, String message) {
        String bad = edit.apply(this, manifest());
        assertThat(bad).isNotEqualTo(manifest());
        mirror.stubFor(get(urlPathEqualTo(image.manifestPath("1.0"))).willReturn(aResponse()
                .withHeader("Content-Type", MediaTypes.OCI_MANIFEST).withBody(bad)));

        PullResult result = jpull().pull(ref());

        assertThat(result.digest()).isEqualTo(image.manifestDigest());
        assertThat(result.endpoint()).isEqualTo("http://127.0.0.1:" + registry.port() + "/v2");
        assertThat(result.attempts()).filteredOn(a -> a.target().equals(Target.manifest("1.0")))
                .extracting(Attempt::endpoint, Attempt::outcome).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(mirrorUrl() + "/v2", Outcome.PROTOCOL_ERROR),
                        org.assertj.core.groups.Tuple.tuple("http://127.0.0.1:" + registry.port() + "/v2",
                                Outcome.OK));
        Attempt bad1 = result.attempts().get(0);
        assertThat(bad1.error()).contains(message).doesNotContain("\n").doesNotContain("dev.jpull")
                .doesNotContainIgnoringCase("creator property");
        for (int i = 0; i < image.layers().size(); i++) {
            assertThat(readBlob(layer(i))).isEqualTo(image.layers().get(i));
        }
    }

    @Test
    void aManifestInvalidOnEveryEndpointFailsThePullWithTheReasonPerEndpoint() {
        String bad = resize(manifest(), 2, "\"" + size(2) + "\"");
        for (WireMockServer server : List.of(mirror, registry)) {
            server.stubFor(get(urlPathEqualTo(image.manifestPath("1.0"))).willReturn(aResponse()
                    .withHeader("Content-Type", MediaTypes.OCI_MANIFEST).withBody(bad)));
        }

        assertThatThrownBy(() -> jpull().pull(ref())).isInstanceOfSatisfying(PullFailedException.class, e -> {
            assertThat(e.attempts()).extracting(Attempt::outcome)
                    .containsExactly(Outcome.PROTOCOL_ERROR, Outcome.PROTOCOL_ERROR);
            assertThat(e.getMessage()).contains(mirrorUrl() + "/v2 -> protocol-error")
                    .contains("layers[2].size: expected an integer (int64), got a string \"" + size(2) + "\"")
                    .doesNotContain("dev.jpull.internal.oci").doesNotContain("\n");
        });
    }

    @Test
    void anInvalidPlatformManifestBelowAnIndexFailsOverToo() {
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{"
                + "\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + image.manifestDigest()
                + "\",\"size\":" + image.manifest().length + ",\"platform\":{\"os\":\"linux\",\"architecture\":"
                + "\"amd64\"}}]}";
        for (WireMockServer server : List.of(mirror, registry)) {
            server.stubFor(get(urlPathEqualTo(image.manifestPath("multi"))).willReturn(aResponse()
                    .withHeader("Content-Type", MediaTypes.OCI_INDEX).withBody(index)));
        }
        // the mirror's index has a child whose bytes are invalid but hash to the digest the index names
        String badChild = manifest().replace("\"schemaVersion\":2", "\"schemaVersion\":\"2\"");
        String badIndex = index.replace(image.manifestDigest(), Digests.sha256(badChild.getBytes(StandardCharsets.UTF_8)));
        mirror.stubFor(get(urlPathEqualTo(image.manifestPath("multi"))).willReturn(aResponse()
                .withHeader("Content-Type", MediaTypes.OCI_INDEX).withBody(badIndex)));
        mirror.stubFor(get(urlPathEqualTo(image.manifestPath(Digests.sha256(badChild.getBytes(StandardCharsets.UTF_8)))))
                .willReturn(aResponse().withHeader("Content-Type", MediaTypes.OCI_MANIFEST).withBody(badChild)));

        var config = new RegistriesConfig(null, Map.of("127.0.0.1:" + registry.port(),
                new Mirror(List.of(mirrorUrl()), Map.of())), Map.of(), List.of());
        Jpull jpull = Jpull.builder().config(config).store(store).platform("linux/amd64").concurrency(1)
                .failoverPolicy(NO_HEDGING).build();
        String multi = "127.0.0.1:" + registry.port() + "/" + image.repository() + ":multi";

        // the mirror's index is valid; its child is invalid everywhere: a protocol error per endpoint, exit 1
        assertThatThrownBy(() -> jpull.pull(multi)).isInstanceOfSatisfying(PullFailedException.class, e -> {
            assertThat(e.attempts()).extracting(Attempt::outcome).contains(Outcome.PROTOCOL_ERROR);
            assertThat(e.getMessage()).contains("schemaVersion: expected an integer (int64), got a string \"2\"");
        });
    }

    private byte[] readBlob(String digest) {
        try {
            return Files.readAllBytes(store.resolve("blobs/sha256/" + Digests.hex(digest)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
