package dev.jpull.internal.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.jpull.Target;
import dev.jpull.Attempt;
import dev.jpull.BlobResult;
import dev.jpull.Jpull;
import dev.jpull.Outcome;
import dev.jpull.PullFailedException;
import dev.jpull.PullResult;
import dev.jpull.Mirror;
import dev.jpull.RegistriesConfig;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.MediaTypes;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover per request against WireMock registries: plan = [closed port, mirror A, registry B (default)].
 */
class FailoverTest {
    private final WireMockServer mirror = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    private final WireMockServer registry = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    private final TestImage image = TestImage.create("library/app", 3, 40_000, 7);
    private int closedPort;

    @TempDir
    Path store;

    @BeforeEach
    void start() throws IOException {
        mirror.start();
        registry.start();
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
    }

    @AfterEach
    void stop() {
        mirror.stop();
        registry.stop();
    }

    private String registryHost() {
        return "127.0.0.1:" + registry.port();
    }

    private String mirrorUrl() {
        return "http://127.0.0.1:" + mirror.port();
    }

    private Jpull jpull(List<String> mirrorEndpoints, boolean disableDefault) {
        var config = new RegistriesConfig(null, Map.of(registryHost(), new Mirror(mirrorEndpoints, Map.of())),
                Map.of(), List.of());
        return Jpull.builder().config(config).store(store).disableDefaultEndpoint(disableDefault)
                .concurrency(1).build();
    }

    private String imageRef() {
        return registryHost() + "/" + image.repository() + ":1.0";
    }

    @Test
    void deadMirrorAndMissingMirrorFallThroughToTheRegistryInPlanOrder() {
        image.serveAll(registry, "1.0");
        // mirror A has nothing: WireMock answers 404 for every unstubbed request

        PullResult result = jpull(List.of("http://127.0.0.1:" + closedPort, mirrorUrl()), false).pull(imageRef());

        assertThat(result.digest()).isEqualTo(image.manifestDigest());
        assertThat(result.manifestDigest()).isEqualTo(image.manifestDigest());
        assertThat(result.imageId()).isEqualTo(image.configDigest());
        assertThat(result.endpoint()).isEqualTo("http://" + registryHost() + "/v2");
        List<Attempt> manifestAttempts = result.attempts().stream()
                .filter(a -> a.target().equals(Target.manifest("1.0"))).toList();
        assertThat(manifestAttempts).extracting(Attempt::endpoint, Attempt::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("http://127.0.0.1:" + closedPort + "/v2", Outcome.REFUSED),
                org.assertj.core.groups.Tuple.tuple(mirrorUrl() + "/v2", Outcome.NOT_FOUND),
                org.assertj.core.groups.Tuple.tuple("http://" + registryHost() + "/v2", Outcome.OK));
        assertThat(result.blobs()).extracting(BlobResult::endpoint).containsOnly("http://" + registryHost() + "/v2");
        // every blob is in the store under its digest, verified
        for (BlobResult b : result.blobs()) {
            assertThat(Digests.sha256(readBlob(b.digest()))).isEqualTo(b.digest());
        }
    }

    @Test
    void deadMirrorIsPaidForOnceNotOncePerBlob() {
        image.serveAll(registry, "1.0");
        PullResult result = jpull(List.of("http://127.0.0.1:" + closedPort), false).pull(imageRef());
        long refusals = result.attempts().stream().filter(a -> a.outcome() == Outcome.REFUSED).count();
        assertThat(refusals).isEqualTo(1);
        assertThat(result.blobs()).hasSize(4);
    }

    @Test
    void eachBlobFailsOverOnItsOwnAndCorruptOrShortBytesNeverEnterTheStore() {
        image.serveAll(mirror, "1.0");
        image.serveAll(registry, "1.0");
        byte[] corrupt = image.layers().get(0).clone();
        corrupt[100] ^= 1;
        mirror.stubFor(get(urlPathEqualTo(image.blobPath(image.layerDigests().get(0))))
                .willReturn(aResponse().withBody(corrupt)));
        byte[] shortBody = java.util.Arrays.copyOf(image.layers().get(1), 1000);
        mirror.stubFor(get(urlPathEqualTo(image.blobPath(image.layerDigests().get(1))))
                .willReturn(aResponse().withBody(shortBody)));
        mirror.stubFor(get(urlPathEqualTo(image.blobPath(image.layerDigests().get(2))))
                .willReturn(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)));

        PullResult result = jpull(List.of(mirrorUrl()), false).pull(imageRef());

        assertThat(result.endpoint()).isEqualTo(mirrorUrl() + "/v2");
        Map<String, String> servedBy = new java.util.HashMap<>();
        result.blobs().forEach(b -> servedBy.put(b.digest(), b.endpoint()));
        String reg = "http://" + registryHost() + "/v2";
        assertThat(servedBy.get(image.configDigest())).isEqualTo(mirrorUrl() + "/v2");
        assertThat(servedBy.get(image.layerDigests().get(0))).isEqualTo(reg);
        assertThat(servedBy.get(image.layerDigests().get(1))).isEqualTo(reg);
        assertThat(servedBy.get(image.layerDigests().get(2))).isEqualTo(reg);
        assertThat(result.attempts()).filteredOn(a -> a.target().equals(Target.blob(image.layerDigests().get(0))))
                .extracting(Attempt::outcome).containsExactly(Outcome.DIGEST_MISMATCH, Outcome.OK);
        assertThat(result.attempts()).filteredOn(a -> a.target().equals(Target.blob(image.layerDigests().get(1))))
                .extracting(Attempt::outcome).first().isIn(Outcome.DIGEST_MISMATCH, Outcome.TRUNCATED);
        for (int i = 0; i < 3; i++) {
            assertThat(readBlob(image.layerDigests().get(i))).isEqualTo(image.layers().get(i));
        }
    }

    @Test
    void whenEveryEndpointFailsTheErrorNamesEachEndpointAndWhatItAnswered() {
        registry.stubFor(get(urlPathEqualTo(image.manifestPath("1.0"))).willReturn(aResponse().withStatus(503)
                .withBody("{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"down for maintenance\"}]}")));

        assertThatThrownBy(() -> jpull(List.of("http://127.0.0.1:" + closedPort, mirrorUrl()), false)
                .pull(imageRef()))
                .isInstanceOfSatisfying(PullFailedException.class, e -> {
                    assertThat(e.attempts()).extracting(Attempt::outcome)
                            .containsExactly(Outcome.REFUSED, Outcome.NOT_FOUND, Outcome.SERVER_ERROR,
                                    // a 5xx is transient: the last endpoint standing is retried twice
                                    Outcome.SERVER_ERROR, Outcome.SERVER_ERROR);
                    assertThat(e.getMessage())
                            .contains("127.0.0.1:" + closedPort + "/v2 -> refused")
                            .contains(mirrorUrl() + "/v2 -> not-found (HTTP 404)")
                            .contains(registryHost() + "/v2 -> server-error (HTTP 503): UNAVAILABLE: down for maintenance");
                });
        assertThat(store.resolve("blobs/sha256")).satisfiesAnyOf(
                p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());
    }

    @Test
    void disableDefaultEndpointLeavesOnlyTheMirrors() {
        image.serveAll(registry, "1.0");
        assertThatThrownBy(() -> jpull(List.of(mirrorUrl()), true).pull(imageRef()))
                .isInstanceOfSatisfying(PullFailedException.class,
                        e -> assertThat(e.attempts()).extracting(Attempt::endpoint)
                                .containsExactly(mirrorUrl() + "/v2"));
        registry.verify(0, getRequestedFor(urlPathEqualTo(image.manifestPath("1.0"))));
    }

    @Test
    void mirrorRequestsCarryTheNamespaceAndTheRegistryItselfDoesNot() {
        image.serveAll(mirror, "1.0");
        jpull(List.of(mirrorUrl()), false).pull(imageRef());
        mirror.verify(getRequestedFor(urlPathEqualTo(image.manifestPath("1.0")))
                .withQueryParam("ns", com.github.tomakehurst.wiremock.client.WireMock.equalTo(registryHost()))
                .withHeader("Accept", com.github.tomakehurst.wiremock.client.WireMock.containing(MediaTypes.OCI_INDEX)));
    }

    @Test
    void aManifestWhoseBytesDoNotMatchTheRequestedDigestIsTakenFromTheNextEndpoint() {
        image.serveAll(registry, "1.0");
        mirror.stubFor(get(urlPathEqualTo(image.manifestPath(image.manifestDigest())))
                .willReturn(aResponse().withBody(new String(image.manifest()).replace("amd64", "arm64") + " ")));
        String byDigest = registryHost() + "/" + image.repository() + "@" + image.manifestDigest();

        PullResult result = jpull(List.of(mirrorUrl()), false).pull(byDigest);

        assertThat(result.digest()).isEqualTo(image.manifestDigest());
        assertThat(result.attempts()).first().extracting(Attempt::outcome).isEqualTo(Outcome.DIGEST_MISMATCH);
    }

    @Test
    void blobRedirectToAnotherHostIsFollowedWithoutAuthorization() {
        image.serveAll(registry, "1.0");
        // the registry wants Basic auth on every request
        registry.stubFor(com.github.tomakehurst.wiremock.client.WireMock.any(
                        com.github.tomakehurst.wiremock.client.WireMock.anyUrl())
                .withHeader("Authorization", absent()).atPriority(1)
                .willReturn(aResponse().withStatus(401).withHeader("WWW-Authenticate", "Basic realm=\"test\"")));
        String layer = image.layerDigests().get(0);
        // the "object storage" is the mirror server, reached under another host name (localhost vs 127.0.0.1)
        registry.stubFor(get(urlPathEqualTo(image.blobPath(layer))).atPriority(2).willReturn(aResponse().withStatus(307)
                .withHeader("Location", "http://localhost:" + mirror.port() + "/objects/" + layer)));
        mirror.stubFor(get(urlPathEqualTo("/objects/" + layer)).willReturn(aResponse().withBody(image.layers().get(0))));
        var auth = new dev.jpull.AuthConfig("admin", "s3cret-pass", null, null);
        var config = new RegistriesConfig(null, Map.of(),
                Map.of(registryHost(), new dev.jpull.RegistryConfig(auth, null)), List.of());

        PullResult result = Jpull.builder().config(config).store(store).build().pull(imageRef());

        assertThat(result.blobs()).hasSize(4);
        registry.verify(getRequestedFor(urlPathEqualTo(image.blobPath(layer)))
                .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.matching("Basic .+")));
        mirror.verify(1, getRequestedFor(urlPathEqualTo("/objects/" + layer)));
        mirror.verify(getRequestedFor(urlPathEqualTo("/objects/" + layer)).withHeader("Authorization", absent()));
        assertThat(readBlob(layer)).isEqualTo(image.layers().get(0));
    }

    @Test
    void dockerHubStyleRateLimitHeadersAreReportedToTheListener() {
        image.serveAll(registry, "1.0");
        registry.stubFor(get(urlPathEqualTo(image.manifestPath("1.0"))).willReturn(aResponse()
                .withHeader("Content-Type", MediaTypes.OCI_MANIFEST).withHeader("ratelimit-limit", "100;w=21600")
                .withHeader("ratelimit-remaining", "76;w=21600").withBody(image.manifest())));
        List<String> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        var listener = new dev.jpull.PullListener() {
            @Override
            public void rateLimit(String endpoint, String limit, String remaining) {
                seen.add(endpoint + " " + remaining + "/" + limit);
            }
        };

        Jpull.builder().store(store).listener(listener).build().pull(imageRef());

        assertThat(seen).containsExactly("http://" + registryHost() + "/v2 76;w=21600/100;w=21600");
    }

    private byte[] readBlob(String digest) {
        try {
            return Files.readAllBytes(store.resolve("blobs/sha256/" + Digests.hex(digest)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
