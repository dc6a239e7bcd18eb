package dev.jpull.internal.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.jpull.Target;
import dev.jpull.Attempt;
import dev.jpull.Outcome;
import dev.jpull.PullFailedException;
import dev.jpull.PullResult;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Formats the image spec allows beyond the common case, served by WireMock registries: an index whose children
 * are indexes (followed to the platform's image, bounded), and images whose digests are sha512 (and sha384), which
 * containerd accepts. {@link ManifestFormatsIT} has the cases whose store skopeo reads.
 */
class ManifestFormatsTest extends ManifestFormatsFixture {
    static final String REPO = "library/formats";
    private static final String LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";

    /** A blob or manifest: bytes and their digest in some algorithm. */
    record Blob(byte[] bytes, String digest) {
        static Blob of(String algorithm, byte[] bytes) {
            return new Blob(bytes, Digests.compute(algorithm, bytes));
        }

        static Blob of(String algorithm, String json) {
            return of(algorithm, json.getBytes(StandardCharsets.UTF_8));
        }

        String descriptor(String mediaType, String platform) {
            return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + bytes.length
                    + (platform == null ? "" : ",\"platform\":" + platform) + "}";
        }
    }

    /** An image: config, layers and manifest, each digest in the algorithm given for it. */
    record Image(Blob manifest, Blob config, List<Blob> layers) {
        static Image create(long seed, String arch, String manifestAlg, String configAlg, String... layerAlgs) {
            Random random = new Random(seed);
            Blob config = Blob.of(configAlg, "{\"architecture\":\"" + arch + "\",\"os\":\"linux\",\"seed\":" + seed
                    + "}");
            List<Blob> layers = new ArrayList<>();
            List<String> descriptors = new ArrayList<>();
            for (String alg : layerAlgs) {
                byte[] bytes = new byte[3000 + random.nextInt(2000)];
                random.nextBytes(bytes);
                Blob layer = Blob.of(alg, bytes);
                layers.add(layer);
                descriptors.add(layer.descriptor(LAYER, null));
            }
            Blob manifest = Blob.of(manifestAlg, "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                    + "\",\"config\":" + config.descriptor("application/vnd.oci.image.config.v1+json", null)
                    + ",\"layers\":[" + String.join(",", descriptors) + "]}");
            return new Image(manifest, config, layers);
        }

        void serve(WireMockServer server) {
            ManifestFormatsTest.serveManifest(server, manifest.digest(), MediaTypes.OCI_MANIFEST, manifest);
            serveBlob(server, config);
            layers.forEach(l -> serveBlob(server, l));
        }
    }

    static void serveManifest(WireMockServer server, String ref, String mediaType, Blob m) {
        server.stubFor(get(urlPathEqualTo("/v2/" + REPO + "/manifests/" + ref)).willReturn(aResponse()
                .withHeader("Content-Type", mediaType).withBody(m.bytes())));
    }

    static void serveBlob(WireMockServer server, Blob b) {
        server.stubFor(get(urlPathEqualTo("/v2/" + REPO + "/blobs/" + b.digest())).willReturn(aResponse()
                .withBody(b.bytes())));
    }

    static Blob index(String algorithm, String... entries) {
        return Blob.of(algorithm, "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX
                + "\",\"manifests\":[" + String.join(",", entries) + "]}");
    }

    static String platform(String arch) {
        return "{\"os\":\"linux\",\"architecture\":\"" + arch + "\"}";
    }

    @Test
    void indexesNestedDeeperThanFourLevelsAreRefusedAndFourAreFollowed() {
        Image image = Image.create(3, "amd64", "sha256", "sha256", "sha256");
        image.serve(registry);
        Blob level = index("sha256", image.manifest().descriptor(MediaTypes.OCI_MANIFEST, platform("amd64")));
        serveManifest(registry, level.digest(), MediaTypes.OCI_INDEX, level);
        List<Blob> levels = new ArrayList<>(List.of(level)); // levels.get(n - 1) is n levels of index deep
        for (int depth = 2; depth <= 5; depth++) {
            level = index("sha256", level.descriptor(MediaTypes.OCI_INDEX, platform("amd64")));
            serveManifest(registry, level.digest(), MediaTypes.OCI_INDEX, level);
            levels.add(level);
        }
        serveManifest(registry, "four", MediaTypes.OCI_INDEX, levels.get(3));
        serveManifest(registry, "five", MediaTypes.OCI_INDEX, levels.get(4));

        PullResult four = jpull().pull(registryHost() + "/" + REPO + ":four");
        assertThat(four.manifestDigest()).isEqualTo(image.manifest().digest());
        assertThat(four.digest()).isEqualTo(levels.get(3).digest());

        assertThatThrownBy(() -> jpull().pull(registryHost() + "/" + REPO + ":five"))
                .isInstanceOfSatisfying(PullFailedException.class, e -> {
                    assertThat(e.getMessage()).contains("index " + levels.get(4).digest()
                            + " nests indexes deeper than 4 levels").doesNotContain("has no config");
                });
    }

    /**
     * An index reached twice is searched once (digests seen). A true loop cannot be built: an index cannot contain
     * its own digest, and every child is verified against its digest; the walker refuses one all the same.
     */
    @Test
    void anIndexListedTwiceIsFetchedAndSearchedOnce() {
        Image arm64 = Image.create(7, "arm64", "sha256", "sha256", "sha256");
        arm64.serve(registry);
        Blob armIndex = index("sha256", arm64.manifest().descriptor(MediaTypes.OCI_MANIFEST, platform("arm64")));
        serveManifest(registry, armIndex.digest(), MediaTypes.OCI_INDEX, armIndex);
        Blob top = index("sha256", armIndex.descriptor(MediaTypes.OCI_INDEX, null),
                armIndex.descriptor(MediaTypes.OCI_INDEX, null));
        serveManifest(registry, "twice", MediaTypes.OCI_INDEX, top);

        assertThatThrownBy(() -> jpull().pull(registryHost() + "/" + REPO + ":twice"))
                .isInstanceOfSatisfying(PullFailedException.class, e -> assertThat(e.getMessage())
                        .contains("no image for platform linux/amd64 in index " + top.digest()
                                + " (available: linux/arm64)"));
        registry.verify(1, com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                urlPathEqualTo("/v2/" + REPO + "/manifests/" + armIndex.digest())));
    }

    @Test
    void aTagWhoseIndexNamesASha512ManifestIsPulled() {
        Image image = Image.create(5, "amd64", "sha512", "sha512", "sha512");
        image.serve(registry);
        Blob top = index("sha256", image.manifest().descriptor(MediaTypes.OCI_MANIFEST, platform("amd64")));
        serveManifest(registry, "v1", MediaTypes.OCI_INDEX, top);
        // a mirror whose copy of the sha512 manifest is altered fails the SHA-512 check and is passed over
        byte[] altered = new String(image.manifest().bytes(), StandardCharsets.UTF_8).replace("{\"schemaVersion\"",
                "{ \"schemaVersion\"").getBytes(StandardCharsets.UTF_8);
        serveManifest(mirror, "v1", MediaTypes.OCI_INDEX, top);
        serveManifest(mirror, image.manifest().digest(), MediaTypes.OCI_MANIFEST,
                new Blob(altered, image.manifest().digest()));

        PullResult result = jpull().pull(registryHost() + "/" + REPO + ":v1");

        assertThat(result.digest()).isEqualTo(top.digest());
        assertThat(result.manifestDigest()).isEqualTo(image.manifest().digest());
        assertThat(result.attempts()).filteredOn(a -> a.target().equals(Target.manifest(image.manifest().digest())))
                .extracting(Attempt::outcome).containsExactly(Outcome.DIGEST_MISMATCH, Outcome.OK);
        assertThat(Files.isRegularFile(store.resolve("blobs/sha512/" + Digests.hex(image.manifest().digest()))))
                .isTrue();
    }

    /**
     * A sha512 {@code Docker-Content-Digest} for a tag is checked with SHA-512; the digest reported stays the
     * manifest's sha256, the digest skopeo and crictl print.
     */
    @Test
    void aSha512DockerContentDigestIsCheckedWithSha512() {
        Image image = Image.create(6, "amd64", "sha256", "sha256", "sha256");
        image.serve(registry);
        String sha512 = Digests.compute("sha512", image.manifest().bytes());
        registry.stubFor(get(urlPathEqualTo("/v2/" + REPO + "/manifests/v2")).willReturn(aResponse()
                .withHeader("Content-Type", MediaTypes.OCI_MANIFEST).withHeader("Docker-Content-Digest", sha512)
                .withBody(image.manifest().bytes())));
        mirror.stubFor(get(urlPathEqualTo("/v2/" + REPO + "/manifests/v2")).willReturn(aResponse()
                .withHeader("Content-Type", MediaTypes.OCI_MANIFEST)
                .withHeader("Docker-Content-Digest", "sha512:" + "0".repeat(128))
                .withBody(image.manifest().bytes())));

        PullResult result = jpull().pull(registryHost() + "/" + REPO + ":v2");

        assertThat(result.digest()).isEqualTo(image.manifest().digest()).startsWith("sha256:");
        assertThat(result.attempts()).extracting(Attempt::endpoint, Attempt::outcome).startsWith(
                org.assertj.core.groups.Tuple.tuple(mirrorUrl() + "/v2", Outcome.DIGEST_MISMATCH),
                org.assertj.core.groups.Tuple.tuple(registryUrl(), Outcome.OK));
        assertThat(result.attempts().get(0).error()).contains("manifest content has digest " + sha512
                + " but Docker-Content-Digest says sha512:000");
    }
}

