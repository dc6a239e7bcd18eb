package dev.jpull.internal.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpull.Jpull;
import dev.jpull.Mirror;
import dev.jpull.PlatformImage;
import dev.jpull.PullResult;
import dev.jpull.RegistriesConfig;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.MediaTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A pull of several images of an index against WireMock registries (JVM only): named platforms below a nested
 * index give a one-level index of just those, the others never fetched; every platform with a layer two images
 * share fetches it once; the store names the index.
 */
class IndexPullTest extends ManifestFormatsFixture {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REPO = ManifestFormatsTest.REPO;

    private Jpull jpull(Jpull.Builder b) {
        var config = new RegistriesConfig(null, Map.of(registryHost(), new Mirror(List.of(mirrorUrl()), Map.of())),
                Map.of(), List.of());
        return b.config(config).store(store).concurrency(2).build();
    }

    @Test
    void namedPlatformsBelowANestedIndexGiveAFlatIndexOfJustThose() throws Exception {
        var amd64 = ManifestFormatsTest.Image.create(11, "amd64", "sha256", "sha256", "sha256");
        var arm64 = ManifestFormatsTest.Image.create(12, "arm64", "sha256", "sha256", "sha256");
        var riscv = ManifestFormatsTest.Image.create(13, "riscv64", "sha256", "sha256", "sha256");
        for (var i : List.of(amd64, arm64, riscv)) {
            i.serve(registry);
        }
        var inner = ManifestFormatsTest.index("sha256",
                amd64.manifest().descriptor(MediaTypes.OCI_MANIFEST, ManifestFormatsTest.platform("amd64")),
                arm64.manifest().descriptor(MediaTypes.OCI_MANIFEST, null));
        ManifestFormatsTest.serveManifest(registry, inner.digest(), MediaTypes.OCI_INDEX, inner);
        var top = ManifestFormatsTest.index("sha256",
                inner.descriptor(MediaTypes.OCI_INDEX, ManifestFormatsTest.platform("arm64")),
                riscv.manifest().descriptor(MediaTypes.OCI_MANIFEST, ManifestFormatsTest.platform("riscv64")));
        ManifestFormatsTest.serveManifest(registry, "two", MediaTypes.OCI_INDEX, top);

        PullResult r = jpull(Jpull.builder().platforms(List.of("linux/riscv64", "linux/arm64")))
                .pull(registryHost() + "/" + REPO + ":two");

        assertThat(r.digest()).isEqualTo(top.digest());
        assertThat(r.platforms()).extracting(PlatformImage::platform).containsExactly("linux/riscv64", "linux/arm64");
        assertThat(r.imageId()).isEqualTo(riscv.config().digest());
        assertThat(r.indexDigest()).isNotEqualTo(top.digest());
        byte[] stored = Files.readAllBytes(store.resolve("blobs/sha256/" + Digests.hex(r.indexDigest())));
        JsonNode index = JSON.readTree(stored);
        assertThat(index.path("mediaType").asText()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(index.path("manifests").findValuesAsText("digest"))
                .containsExactly(riscv.manifest().digest(), arm64.manifest().digest());
        // the arm64 entry had no platform of its own: it gets the nested index entry's
        assertThat(index.path("manifests").get(1).path("platform").path("architecture").asText()).isEqualTo("arm64");
        JsonNode entry = JSON.readTree(store.resolve("index.json").toFile()).path("manifests").get(0);
        assertThat(entry.path("digest").asText()).isEqualTo(r.indexDigest());
        registry.verify(0, getRequestedFor(urlPathEqualTo("/v2/" + REPO + "/manifests/" + amd64.manifest().digest())));
        registry.verify(0, getRequestedFor(urlPathEqualTo("/v2/" + REPO + "/blobs/" + amd64.config().digest())));
        registry.verify(1, getRequestedFor(urlPathEqualTo("/v2/" + REPO + "/manifests/" + inner.digest())));

        // the same platforms again: the same index, nothing downloaded
        PullResult again = jpull(Jpull.builder().platforms(List.of("linux/riscv64", "linux/arm64")))
                .pull(registryHost() + "/" + REPO + ":two");
        assertThat(again.indexDigest()).isEqualTo(r.indexDigest());
        assertThat(again.blobs()).allSatisfy(b -> assertThat(b.cached()).isTrue());
    }

    @Test
    void everyPlatformFetchesASharedLayerOnce() throws Exception {
        var amd64 = ManifestFormatsTest.Image.create(21, "amd64", "sha256", "sha256", "sha256");
        amd64.serve(registry);
        // an arm64 image with amd64's layer and its own config
        var config = ManifestFormatsTest.Blob.of("sha256", "{\"architecture\":\"arm64\",\"os\":\"linux\"}");
        ManifestFormatsTest.serveBlob(registry, config);
        String layer = amd64.layers().get(0).descriptor("application/vnd.oci.image.layer.v1.tar+gzip", null);
        var arm64 = ManifestFormatsTest.Blob.of("sha256", "{\"schemaVersion\":2,\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST + "\",\"config\":" + config.descriptor(
                "application/vnd.oci.image.config.v1+json", null) + ",\"layers\":[" + layer + "]}");
        ManifestFormatsTest.serveManifest(registry, arm64.digest(), MediaTypes.OCI_MANIFEST, arm64);
        var top = ManifestFormatsTest.index("sha256",
                amd64.manifest().descriptor(MediaTypes.OCI_MANIFEST, ManifestFormatsTest.platform("amd64")),
                arm64.descriptor(MediaTypes.OCI_MANIFEST, ManifestFormatsTest.platform("arm64")));
        ManifestFormatsTest.serveManifest(registry, "all", MediaTypes.OCI_INDEX, top);

        PullResult r = jpull(Jpull.builder().allPlatforms(true).platform("linux/arm64"))
                .pull(registryHost() + "/" + REPO + ":all");

        assertThat(r.indexDigest()).isEqualTo(top.digest());
        assertThat(r.manifestDigest()).isEqualTo(arm64.digest());
        assertThat(r.blobs()).hasSize(3);
        assertThat(r.platforms().get(1).blobs()).extracting(b -> b.digest())
                .containsExactly(config.digest(), amd64.layers().get(0).digest());
        registry.verify(1, getRequestedFor(urlPathEqualTo("/v2/" + REPO + "/blobs/"
                + amd64.layers().get(0).digest())));
        for (String d : List.of(top.digest(), amd64.manifest().digest(), arm64.digest(), config.digest())) {
            assertThat(store.resolve("blobs/sha256/" + Digests.hex(d))).isRegularFile();
        }
        JsonNode entry = JSON.readTree(store.resolve("index.json").toFile()).path("manifests").get(0);
        assertThat(entry.path("digest").asText()).isEqualTo(top.digest());
        assertThat(entry.has("platform")).isFalse();
    }
}
