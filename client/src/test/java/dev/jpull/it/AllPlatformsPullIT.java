package dev.jpull.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpull.BlobResult;
import dev.jpull.Jpull;
import dev.jpull.PlatformImage;
import dev.jpull.PullFailedException;
import dev.jpull.PullListener;
import dev.jpull.PullResult;
import dev.jpull.RegistriesConfig;
import dev.jpull.internal.oci.Digests;
import dev.jpull.testdata.Image;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.MultiPlatformImage;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.RegistryFixture.Mode;
import dev.jpull.testdata.Skopeo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Jpull.Builder.allPlatforms} and {@code platforms} against the real registry: the three-platform index
 * plus a fourth image sharing a layer with linux/amd64 is pulled whole (the shared layer fetched once), the store
 * names the index, and skopeo ({@code copy --all}) copies it out of the store with every platform's blobs; an
 * index nesting the three-platform one is followed; two named platforms give an index of just those.
 */
class AllPlatformsPullIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void pullsEveryPlatformOnceAndSkopeoCopiesItAllThenANestedIndex() throws Exception {
        try (RegistryFixture reg = RegistryFixture.start(Mode.PLAIN)) {
            Path layout = tmp.resolve("layout");
            MultiPlatformImage multi = new ImageGenerator(7).multiPlatform(layout, "multi");
            Image amd64 = multi.child("linux/amd64");
            Fourth s390x = fourthSharingLayers(layout, amd64);
            String all = index(layout, multi, s390x, false, "all");
            Skopeo.copyToRegistry(layout, "all", reg, "library/multi:all");
            assertThat(Skopeo.inspectDigest(reg, "library/multi:all")).isEqualTo(all);

            String ref = reg.hostPort() + "/library/multi:all";
            Path store = tmp.resolve("store");
            Map<String, AtomicInteger> fetched = new ConcurrentHashMap<>();
            Jpull jpull = Jpull.builder().config(RegistriesConfig.empty()).store(store).allPlatforms(true)
                    .platform("linux/arm64").listener(counting(fetched)).build();
            PullResult r = jpull.pull(ref);

            assertThat(r.digest()).isEqualTo(all);
            assertThat(r.indexDigest()).isEqualTo(all);
            assertPlatforms(r, multi, s390x);
            // the preferred platform is the one reported first-class
            assertThat(r.manifestDigest()).isEqualTo(multi.child("linux/arm64/v8").manifestDigest());
            assertThat(r.imageId()).isEqualTo(multi.child("linux/arm64/v8").configDigest());
            assertThat(r.platform()).isEqualTo("linux/arm64/v8");
            assertFetchedOnce(r, fetched, amd64);

            // the store names the index; skopeo copies every platform out of it
            JsonNode entry = JSON.readTree(store.resolve("index.json").toFile()).path("manifests").get(0);
            assertThat(entry.path("digest").asText()).isEqualTo(all);
            assertThat(entry.path("mediaType").asText()).isEqualTo(ImageGenerator.INDEX_TYPE);
            Path other = tmp.resolve("other");
            copyAll(store, ref, other);
            assertThat(Skopeo.inspectLayoutRaw(other, "copy")).isEqualTo(Skopeo.inspectRaw(reg, "library/multi:all"));
            List<String> blobs = blobsOf(multi, s390x);
            blobs.add(all);
            assertBlobs(blobs, store, other);

            // again: everything cached, the same index
            PullResult again = jpull.pull(ref);
            assertThat(again.indexDigest()).isEqualTo(all);
            assertThat(again.blobs()).allSatisfy(b -> assertThat(b.cached()).isTrue());

            // an index listing the three-platform index and the fourth image (skopeo 1.9 copies no nested index:
            // pushed by hand), pulled whole into another store
            Skopeo.copyToRegistry(layout, "multi", reg, "library/multi:inner");
            String nested = index(layout, multi, s390x, true, "nested");
            putIndex(reg, "library/multi", "nested", Files.readAllBytes(ImageGenerator.blobPath(layout, nested)));
            Path store2 = tmp.resolve("store2");
            fetched.clear();
            PullResult n = Jpull.builder().store(store2).allPlatforms(true).listener(counting(fetched)).build()
                    .pull(reg.hostPort() + "/library/multi:nested");
            assertThat(n.digest()).isEqualTo(nested).isEqualTo(n.indexDigest());
            assertPlatforms(n, multi, s390x);
            assertThat(n.platform()).isEqualTo("linux/amd64");
            assertFetchedOnce(n, fetched, amd64);
            List<String> nestedBlobs = blobsOf(multi, s390x);
            nestedBlobs.addAll(List.of(nested, multi.indexDigest()));
            assertBlobs(nestedBlobs, store2);
            JsonNode entry2 = JSON.readTree(store2.resolve("index.json").toFile()).path("manifests").get(0);
            assertThat(entry2.path("digest").asText()).isEqualTo(nested);
        }
    }

    private static PullListener counting(Map<String, AtomicInteger> fetched) {
        return new PullListener() {
            @Override
            public void blobDone(BlobResult blob) {
                if (!blob.cached()) {
                    fetched.computeIfAbsent(blob.digest(), d -> new AtomicInteger()).incrementAndGet();
                }
            }
        };
    }

    private static void assertPlatforms(PullResult r, MultiPlatformImage multi, Fourth s390x) {
        assertThat(r.platforms()).extracting(PlatformImage::platform)
                .containsExactly("linux/amd64", "linux/arm64/v8", "linux/arm/v7", "linux/s390x");
        assertThat(r.platforms()).extracting(PlatformImage::manifestDigest).containsExactly(
                multi.child("linux/amd64").manifestDigest(), multi.child("linux/arm64/v8").manifestDigest(),
                multi.child("linux/arm/v7").manifestDigest(), s390x.manifestDigest());
        assertThat(r.platforms()).extracting(PlatformImage::imageId).containsExactly(
                multi.child("linux/amd64").configDigest(), multi.child("linux/arm64/v8").configDigest(),
                multi.child("linux/arm/v7").configDigest(), s390x.configDigest());
    }

    /** The layer amd64 and s390x share is in both platforms' lists and was fetched once, as was every blob. */
    private static void assertFetchedOnce(PullResult r, Map<String, AtomicInteger> fetched, Image amd64) {
        String shared = amd64.layerDigests().get(0);
        assertThat(r.platforms().get(3).blobs()).extracting(BlobResult::digest).contains(shared);
        assertThat(r.platforms().get(0).blobs()).extracting(BlobResult::digest).contains(shared);
        assertThat(fetched).allSatisfy((digest, n) -> assertThat(n.get()).as(digest).isEqualTo(1));
        Set<String> every = new LinkedHashSet<>();
        r.platforms().forEach(p -> p.blobs().forEach(b -> every.add(b.digest())));
        assertThat(r.blobs()).extracting(BlobResult::digest).containsExactlyInAnyOrderElementsOf(every);
        assertThat(fetched.keySet()).isEqualTo(every);
    }

    private static List<String> blobsOf(MultiPlatformImage multi, Fourth s390x) {
        List<String> blobs = new ArrayList<>(List.of(s390x.manifestDigest(), s390x.configDigest()));
        for (Image child : multi.children()) {
            blobs.add(child.manifestDigest());
            blobs.add(child.configDigest());
            blobs.addAll(child.layerDigests());
        }
        return blobs;
    }

    private static void assertBlobs(List<String> digests, Path... roots) throws IOException {
        for (String digest : digests) {
            for (Path root : roots) {
                Path blob = root.resolve("blobs/sha256/" + Digests.hex(digest));
                assertThat(Digests.sha256(Files.readAllBytes(blob))).as(root + " " + digest).isEqualTo(digest);
            }
        }
    }

    /** {@code PUT /v2/REPO/manifests/TAG} of an OCI index whose children the repository holds. */
    private static void putIndex(RegistryFixture reg, String repo, String tag, byte[] bytes) throws Exception {
        okhttp3.Request put = new okhttp3.Request.Builder().url(reg.baseUrl() + "/v2/" + repo + "/manifests/" + tag)
                .put(okhttp3.RequestBody.create(bytes, okhttp3.MediaType.get(ImageGenerator.INDEX_TYPE))).build();
        try (okhttp3.Response response = new okhttp3.OkHttpClient.Builder()
                .callTimeout(java.time.Duration.ofSeconds(60)).build().newCall(put).execute()) {
            assertThat(response.code()).as(response.body().string()).isEqualTo(201);
        }
    }

    @Test
    void namedPlatformsGiveAnIndexOfJustThoseAndAnUnknownOneFails() throws IOException {
        try (RegistryFixture reg = RegistryFixture.start(Mode.PLAIN)) {
            MultiPlatformImage multi = new ImageGenerator(8).multiPlatform(tmp.resolve("layout"), "multi");
            Skopeo.copyToRegistry(multi.layoutDir(), "multi", reg, "library/multi:1");
            String ref = reg.hostPort() + "/library/multi:1";
            Path store = tmp.resolve("store");
            PullResult r = Jpull.builder().store(store).platforms(List.of("linux/arm/v7", "linux/amd64")).build()
                    .pull(ref);

            assertThat(r.digest()).isEqualTo(multi.indexDigest());
            assertThat(r.platforms()).extracting(PlatformImage::manifestDigest).containsExactly(
                    multi.child("linux/arm/v7").manifestDigest(), multi.child("linux/amd64").manifestDigest());
            assertThat(r.imageId()).isEqualTo(multi.child("linux/arm/v7").configDigest());
            assertThat(r.indexDigest()).isNotEqualTo(multi.indexDigest());
            JsonNode stored = JSON.readTree(Skopeo.inspectLayoutRaw(store, ref));
            assertThat(Digests.sha256(Skopeo.inspectLayoutRaw(store, ref).getBytes(
                    java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(r.indexDigest());
            JsonNode registry = JSON.readTree(Skopeo.inspectRaw(reg, "library/multi:1"));
            assertThat(stored.path("manifests")).containsExactly(registry.path("manifests").get(2),
                    registry.path("manifests").get(0));
            Path other = tmp.resolve("other");
            copyAll(store, ref, other);
            Image arm64 = multi.child("linux/arm64/v8");
            assertThat(store.resolve("blobs/sha256/" + Digests.hex(arm64.manifestDigest()))).doesNotExist();
            assertThat(store.resolve("blobs/sha256/" + Digests.hex(arm64.configDigest()))).doesNotExist();

            assertThatThrownBy(() -> Jpull.builder().store(tmp.resolve("s2"))
                    .platforms(List.of("linux/amd64", "linux/ppc64le")).build().pull(ref))
                    .isInstanceOf(PullFailedException.class).hasMessageContaining("linux/ppc64le");
        }
    }

    /** A linux/s390x image whose first layer is linux/amd64's. */
    private record Fourth(String manifestDigest, long manifestSize, String configDigest) {
    }

    private static Fourth fourthSharingLayers(Path layout, Image amd64) throws IOException {
        ObjectNode config = (ObjectNode) JSON.readTree(amd64.blobPath(amd64.configDigest()).toFile());
        config.put("architecture", "s390x");
        byte[] configBytes = JSON.writeValueAsBytes(config);
        String configDigest = writeBlob(layout, configBytes);
        ObjectNode manifest = (ObjectNode) JSON.readTree(amd64.blobPath(amd64.manifestDigest()).toFile());
        ((ObjectNode) manifest.path("config")).put("digest", configDigest).put("size", configBytes.length);
        byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
        return new Fourth(writeBlob(layout, manifestBytes), manifestBytes.length, configDigest);
    }

    /**
     * An index, named {@code refName} in the layout, of {@code multi}'s three images (or, {@code nested}, of
     * {@code multi}'s index) and the fourth image.
     */
    private static String index(Path layout, MultiPlatformImage multi, Fourth fourth, boolean nested, String refName)
            throws IOException {
        ObjectNode outer = JSON.createObjectNode();
        outer.put("schemaVersion", 2);
        outer.put("mediaType", ImageGenerator.INDEX_TYPE);
        ArrayNode manifests = outer.putArray("manifests");
        if (nested) {
            manifests.addObject().put("mediaType", ImageGenerator.INDEX_TYPE).put("digest", multi.indexDigest())
                    .put("size", multi.indexSize());
        } else {
            JsonNode inner = JSON.readTree(ImageGenerator.blobPath(layout, multi.indexDigest()).toFile());
            inner.path("manifests").forEach(m -> manifests.add(m.deepCopy()));
        }
        ObjectNode d = manifests.addObject().put("mediaType", ImageGenerator.MANIFEST_TYPE)
                .put("digest", fourth.manifestDigest()).put("size", fourth.manifestSize());
        d.putObject("platform").put("architecture", "s390x").put("os", "linux");
        byte[] bytes = JSON.writeValueAsBytes(outer);
        String digest = writeBlob(layout, bytes);
        ObjectNode index = (ObjectNode) JSON.readTree(layout.resolve("index.json").toFile());
        ObjectNode entry = ((ArrayNode) index.path("manifests")).addObject();
        entry.put("mediaType", ImageGenerator.INDEX_TYPE).put("digest", digest).put("size", bytes.length);
        entry.putObject("annotations").put("org.opencontainers.image.ref.name", refName);
        Files.write(layout.resolve("index.json"), JSON.writeValueAsBytes(index));
        return digest;
    }

    /** {@code skopeo copy --all oci:STORE:REF oci:OTHER:copy}, which must succeed. */
    private static void copyAll(Path store, String ref, Path other) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("skopeo", "copy", "--all", "--quiet", "oci:" + store + ":" + ref,
                "oci:" + other + ":copy").redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().close();
        var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (var in = p.getInputStream()) {
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        try {
            if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("skopeo copy --all timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        assertThat(p.exitValue()).as("skopeo copy --all: " + out.join()).isZero();
    }

    private static String writeBlob(Path layout, byte[] bytes) throws IOException {
        String digest = Digests.sha256(bytes);
        Files.write(ImageGenerator.blobPath(layout, digest), bytes);
        return digest;
    }
}
