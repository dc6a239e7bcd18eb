package dev.jpull.internal.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.jpull.Attempt;
import dev.jpull.DigestResult;
import dev.jpull.InspectResult;
import dev.jpull.Jpull;
import dev.jpull.Mirror;
import dev.jpull.NoSuchImageException;
import dev.jpull.Outcome;
import dev.jpull.PullFailedException;
import dev.jpull.ReferenceException;
import dev.jpull.RegistriesConfig;
import dev.jpull.internal.oci.MediaTypes;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Jpull#digest}, {@link Jpull#inspect} and {@link Jpull#tags} against WireMock registries: HEAD first and
 * GET only when the HEAD gives no usable digest, verified config bytes, failover from a mirror that lies.
 */
class QueryOperationsTest {
    private final WireMockServer mirror = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    private final WireMockServer registry = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    private final TestImage image = TestImage.create("library/app", 2, 1_000, 11);

    @TempDir
    Path store;

    @BeforeEach
    void start() {
        mirror.start();
        registry.start();
    }

    @AfterEach
    void stop() {
        mirror.stop();
        registry.stop();
    }

    private String ref(String tagOrDigest) {
        return "127.0.0.1:" + registry.port() + "/" + image.repository()
                + (tagOrDigest.startsWith("sha256:") ? "@" : ":") + tagOrDigest;
    }

    private Jpull jpull(boolean withMirror) {
        Map<String, Mirror> mirrors = withMirror ? Map.of("127.0.0.1:" + registry.port(),
                new Mirror(List.of("http://127.0.0.1:" + mirror.port()), Map.of())) : Map.of();
        return Jpull.builder().config(new RegistriesConfig(null, mirrors, Map.of(), List.of())).store(store)
                .platform("linux/amd64").build();
    }

    private void headAnswers(WireMockServer server, String reference, String digest) {
        var response = aResponse().withStatus(200).withHeader("Content-Type", MediaTypes.OCI_MANIFEST)
                .withHeader("Content-Length", Integer.toString(image.manifest().length));
        server.stubFor(head(urlPathEqualTo(image.manifestPath(reference)))
                .willReturn(digest == null ? response : response.withHeader("Docker-Content-Digest", digest)));
    }

    @Test
    void digestIsTheHeadsDigestWithoutAGet() {
        headAnswers(registry, "1.0", image.manifestDigest());

        DigestResult r = jpull(false).digest(ref("1.0"));

        assertThat(r.digest()).isEqualTo(image.manifestDigest());
        assertThat(r.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(r.endpoint()).isEqualTo("http://127.0.0.1:" + registry.port() + "/v2");
        assertThat(r.attempts()).isEmpty();
        registry.verify(0, getRequestedFor(urlPathEqualTo(image.manifestPath("1.0"))));
    }

    @Test
    void aHeadWithoutDigestOrRefusedFallsBackToAVerifiedGet() {
        headAnswers(registry, "1.0", null);
        image.serveAll(registry, "1.0");
        assertThat(jpull(false).digest(ref("1.0")).digest()).isEqualTo(image.manifestDigest());
        registry.verify(1, getRequestedFor(urlPathEqualTo(image.manifestPath("1.0"))));

        registry.stubFor(head(urlPathEqualTo(image.manifestPath("2.0"))).willReturn(aResponse().withStatus(405)));
        registry.stubFor(get(urlPathEqualTo(image.manifestPath("2.0"))).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", MediaTypes.OCI_MANIFEST).withBody(image.manifest())));
        assertThat(jpull(false).digest(ref("2.0")).digest()).isEqualTo(image.manifestDigest());
        registry.verify(1, headRequestedFor(urlPathEqualTo(image.manifestPath("2.0"))));
    }

    @Test
    void aDigestReferenceMustExistAndAMirrorNamingAnotherDigestIsPassedOver() {
        String other = "sha256:" + "a".repeat(64);
        headAnswers(mirror, image.manifestDigest(), other);
        headAnswers(registry, image.manifestDigest(), image.manifestDigest());

        DigestResult r = jpull(true).digest(ref(image.manifestDigest()));

        assertThat(r.digest()).isEqualTo(image.manifestDigest());
        assertThat(r.endpoint()).isEqualTo("http://127.0.0.1:" + registry.port() + "/v2");
        assertThat(r.attempts()).extracting(Attempt::outcome).startsWith(Outcome.DIGEST_MISMATCH);

        assertThatThrownBy(() -> jpull(false).digest(ref("sha256:" + "b".repeat(64))))
                .isInstanceOf(PullFailedException.class).hasMessageContaining("not-found")
                .hasMessageStartingWith(ref("sha256:" + "b".repeat(64)));
    }

    @Test
    void inspectVerifiesTheConfigAndFailsOverFromAWrongOne() {
        image.serveAll(mirror, "1.0");
        mirror.stubFor(get(urlPathEqualTo(image.blobPath(image.configDigest())))
                .willReturn(aResponse().withBody("{\"architecture\":\"evil\",\"os\":\"linux\"}")));
        image.serveAll(registry, "1.0");

        InspectResult r = jpull(true).inspect(ref("1.0"));

        assertThat(r.digest()).isEqualTo(image.manifestDigest()).isEqualTo(r.manifestDigest());
        assertThat(r.rawManifest()).isEqualTo(image.manifest());
        assertThat(r.rawConfig()).isEqualTo(image.config());
        assertThat(r.image().architecture()).isEqualTo("amd64");
        assertThat(r.image().layers()).extracting(l -> l.digest()).isEqualTo(image.layerDigests());
        assertThat(r.image().layers()).extracting(l -> l.size()).containsOnly(1_000L);
        assertThat(r.isIndex()).isFalse();
        assertThat(r.platforms()).isEmpty();
        assertThat(r.attempts()).extracting(a -> a.target().label(), Attempt::endpoint)
                .contains(org.assertj.core.groups.Tuple.tuple("blob " + image.configDigest(),
                        "http://127.0.0.1:" + mirror.port() + "/v2"));

        InspectResult manifestOnly = jpull(false).inspectManifest(ref("1.0"));
        assertThat(manifestOnly.rawConfig()).isNull();
        assertThat(manifestOnly.image()).isNull();
    }

    @Test
    void tagsRefusesATagAndTheStoreRefusesWhatItLacks() {
        assertThatThrownBy(() -> jpull(false).tags(ref("1.0"))).isInstanceOf(ReferenceException.class);
        assertThatThrownBy(() -> jpull(false).tags(ref(image.manifestDigest())))
                .isInstanceOf(ReferenceException.class);
        assertThatThrownBy(() -> jpull(false).inspectStored(ref("1.0"), null))
                .isInstanceOf(NoSuchImageException.class).hasMessageContaining("not in the store");
    }
}
