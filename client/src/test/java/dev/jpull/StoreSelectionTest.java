package dev.jpull;

import static dev.jpull.internal.store.StoreImageMaker.layer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.store.OciStore;
import dev.jpull.internal.store.StoreImageMaker;
import dev.jpull.internal.store.StoreImageMaker.Made;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code rmi}, {@code rmi --prune} and {@code images REPOSITORY} select, as crictl does: image IDs, manifest
 * digests and unique prefixes of them; entries that no reference names; the images of one repository.
 */
class StoreSelectionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private OciStore store() {
        return OciStore.open(tmp.resolve("store"));
    }

    private Jpull jpull() {
        return Jpull.builder().store(tmp.resolve("store")).proxies(ProxyConfig.NONE).build();
    }

    @Test
    void rmiByImageIdRemovesEveryReferenceOfThatImageAndItsBlobs() {
        Made a = StoreImageMaker.put(store(), "docker.io/library/a:1", "a", layer("a"));
        StoreImageMaker.put(store(), "docker.io/library/a:latest", "a", layer("a"));
        Made b = StoreImageMaker.put(store(), "docker.io/library/b:1", "b", layer("b"));

        List<RemovedImage> removed = jpull().rmi(a.configDigest());

        assertThat(removed).extracting(RemovedImage::reference)
                .containsExactly("docker.io/library/a:1", "docker.io/library/a:latest");
        assertThat(removed.get(0).deletedBlobs()).isEmpty(); // the second reference still used them
        assertThat(removed.get(1).deletedBlobs()).containsExactlyInAnyOrderElementsOf(a.blobs());
        assertThat(jpull().images()).extracting(ImageSummary::reference).containsExactly("docker.io/library/b:1");
        assertThat(store().hasBlob(b.configDigest())).isTrue();
    }

    @Test
    void rmiTakesAUniquePrefixOfAnImageIdOrManifestDigestWithOrWithoutTheAlgorithm() {
        Made a = StoreImageMaker.put(store(), "docker.io/library/a:1", "a", layer("a"));
        Made b = StoreImageMaker.put(store(), "docker.io/library/b:1", "b", layer("b"));
        Made c = StoreImageMaker.put(store(), "docker.io/library/c:1", "c", layer("c"));

        assertThat(jpull().rmi(Digests.hex(a.configDigest()).substring(0, 12))).extracting(RemovedImage::reference)
                .containsExactly("docker.io/library/a:1");
        assertThat(jpull().rmi(b.manifest().digest().substring(0, 20))).extracting(RemovedImage::reference)
                .containsExactly("docker.io/library/b:1");
        assertThat(jpull().rmi(c.manifest().digest())).extracting(RemovedImage::manifestDigest)
                .containsExactly(c.manifest().digest());
        assertThat(jpull().images()).isEmpty();
    }

    @Test
    void anAmbiguousPrefixIsAUsageErrorAndANameWinsOverAPrefix() {
        Made a = StoreImageMaker.put(store(), "docker.io/library/a:1", "a", layer("a"));
        StoreImageMaker.put(store(), "docker.io/library/b:1", "b", layer("b"));

        String hex = Digests.hex(a.configDigest());
        StoreImageMaker.put(store(), "docker.io/library/" + hex.substring(0, 12) + ":latest", "n", layer("n"));

        assertThat(jpull().rmi(hex.substring(0, 12))).extracting(RemovedImage::reference)
                .containsExactly("docker.io/library/" + hex.substring(0, 12) + ":latest");
        assertThat(jpull().images()).extracting(ImageSummary::reference)
                .containsExactly("docker.io/library/a:1", "docker.io/library/b:1");
    }

    @Test
    void aPrefixOfTwoImagesIsAmbiguous() {
        // 17 images: two of their ids share at least the first hex digit
        java.util.Map<Character, Made> byFirst = new java.util.HashMap<>();
        Made a = null;
        Made b = null;
        for (int i = 0; a == null; i++) {
            Made m = StoreImageMaker.put(store(), "docker.io/library/i:" + i, "i" + i, layer("i" + i));
            Made other = byFirst.putIfAbsent(Digests.hex(m.configDigest()).charAt(0), m);
            if (other != null) {
                a = other;
                b = m;
            }
        }
        String x = Digests.hex(a.configDigest());
        String y = Digests.hex(b.configDigest());
        int common = 0;
        while (x.charAt(common) == y.charAt(common)) {
            common++;
        }
        String prefix = x.substring(0, common);
        int before = jpull().images().size();

        for (String word : List.of(prefix, "sha256:" + prefix)) {
            assertThatThrownBy(() -> jpull().rmi(word)).isInstanceOf(ReferenceException.class)
                    .hasMessageContaining("ambiguous").hasMessageContaining(a.configDigest())
                    .hasMessageContaining(b.configDigest());
        }
        assertThat(jpull().images()).hasSize(before);
    }

    @Test
    void anIdPrefixThatMatchesNothingIsNoSuchImage() {
        StoreImageMaker.put(store(), "docker.io/library/a:1", "a", layer("a"));
        String unused = "sha256:" + "0".repeat(64);

        assertThatThrownBy(() -> jpull().rmi(unused)).isInstanceOf(NoSuchImageException.class);
        assertThatThrownBy(() -> jpull().rmi("ffffffffffff")).isInstanceOf(NoSuchImageException.class)
                .hasMessage("no such image: docker.io/library/ffffffffffff:latest");
    }

    @Test
    void rmiUnnamedRemovesEntriesWithoutARefNameAndOnlyTheBlobsNoNamedEntryUses() throws Exception {
        Made kept = StoreImageMaker.put(store(), "docker.io/library/kept:1", "k", layer("shared"));
        Made gone = StoreImageMaker.put(store(), "docker.io/library/gone:1", "g", layer("shared"), layer("own"));
        unname("docker.io/library/gone:1");
        assertThat(jpull().images()).extracting(ImageSummary::reference).containsExactly("docker.io/library/kept:1",
                null);

        List<RemovedImage> removed = jpull().rmiUnnamed();

        assertThat(removed).singleElement().satisfies(r -> {
            assertThat(r.reference()).isNull();
            assertThat(r.manifestDigest()).isEqualTo(gone.manifest().digest());
            assertThat(r.deletedBlobs()).containsExactlyInAnyOrder(gone.manifest().digest(), gone.configDigest(),
                    gone.layerDigests().get(1));
        });
        assertThat(store().hasBlob(gone.layerDigests().get(0))).isTrue();
        assertThat(jpull().images()).extracting(ImageSummary::reference).containsExactly("docker.io/library/kept:1");
        assertThat(jpull().rmiUnnamed()).isEmpty();
    }

    @Test
    void anUnnamedEntryIsRemovedByItsDigest() throws Exception {
        Made gone = StoreImageMaker.put(store(), "docker.io/library/gone:1", "g", layer("own"));
        unname("docker.io/library/gone:1");

        assertThat(jpull().rmi(gone.configDigest())).singleElement()
                .satisfies(r -> assertThat(r.reference()).isNull());
        assertThat(jpull().images()).isEmpty();
    }

    @Test
    void imagesOfARepositoryListEveryTagOrTheOneReferenceNamed() {
        StoreImageMaker.put(store(), "docker.io/library/alpine:3.20", "a", layer("a"));
        StoreImageMaker.put(store(), "docker.io/library/alpine:latest", "a", layer("a"));
        StoreImageMaker.put(store(), "127.0.0.1:5000/library/alpine:latest", "b", layer("b"));
        StoreImageMaker.put(store(), "docker.io/library/alpinex:1", "c", layer("c"));

        assertThat(jpull().images("alpine")).extracting(ImageSummary::reference)
                .containsExactly("docker.io/library/alpine:3.20", "docker.io/library/alpine:latest");
        assertThat(jpull().images("docker.io/library/alpine:latest")).extracting(ImageSummary::reference)
                .containsExactly("docker.io/library/alpine:latest");
        assertThat(jpull().images("alpine:latest")).extracting(ImageSummary::reference)
                .containsExactly("docker.io/library/alpine:latest");
        assertThat(jpull().images("127.0.0.1:5000/library/alpine")).extracting(ImageSummary::reference)
                .containsExactly("127.0.0.1:5000/library/alpine:latest");
        assertThat(jpull().images("busybox")).isEmpty();
        assertThatThrownBy(() -> jpull().images("Bad:Ref:")).isInstanceOf(ReferenceException.class);
    }

    /** Drops the ref name of {@code ref}'s entry, as a copy into the layout that names nothing leaves it. */
    private void unname(String ref) throws Exception {
        Path index = tmp.resolve("store/index.json");
        ObjectNode root = (ObjectNode) JSON.readTree(index.toFile());
        root.withArray("manifests").forEach(m -> {
            if (ref.equals(m.path("annotations").path("org.opencontainers.image.ref.name").asText())) {
                ((ObjectNode) m).remove("annotations");
            }
        });
        Files.write(index, JSON.writeValueAsBytes(root));
    }
}
