package dev.jpull;

import static dev.jpull.internal.store.StoreImageMaker.layer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.MediaTypes;
import dev.jpull.internal.store.OciStore;
import dev.jpull.internal.store.StoreImageMaker;
import dev.jpull.internal.store.StoreImageMaker.Made;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Jpull#images}, {@link Jpull#save} and {@link Jpull#rmi} against a store filled through its API. */
class StoreImagesTest {
    @TempDir
    Path tmp;

    private Jpull jpull() {
        return Jpull.builder().store(tmp.resolve("store")).proxies(ProxyConfig.NONE).build();
    }

    @Test
    void imagesListsEveryReferenceWithItsManifestConfigSizeAndPlatform() {
        OciStore store = OciStore.open(tmp.resolve("store"));
        Made a = StoreImageMaker.put(store, "docker.io/library/a:1", "a", layer("base"), layer("a"));
        Made b = StoreImageMaker.put(store, "127.0.0.1:5000/team/b:2", "b", layer("b"));

        assertThat(jpull().images()).containsExactly(
                new ImageSummary("docker.io/library/a:1", a.manifest().digest(), a.configDigest(), a.size(),
                        "linux/amd64"),
                new ImageSummary("127.0.0.1:5000/team/b:2", b.manifest().digest(), b.configDigest(), b.size(),
                        "linux/amd64"));
    }

    @Test
    void anIndexEntryIsListedWithThePlatformsOfItsImages() {
        OciStore store = OciStore.open(tmp.resolve("store"));
        Made amd = StoreImageMaker.put(store, "docker.io/library/amd:1", "amd", layer("amd"));
        Made arm = StoreImageMaker.put(store, "docker.io/library/arm:1", "arm", layer("arm"));
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + entry(amd.manifest(), "\"os\":\"linux\",\"architecture\":\"amd64\"") + ","
                + entry(arm.manifest(), "\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"") + ","
                + entry(amd.manifest(), "\"os\":\"unknown\",\"architecture\":\"unknown\"") + "]}";
        byte[] bytes = index.getBytes(StandardCharsets.UTF_8);
        Descriptor d = Descriptor.of(MediaTypes.OCI_INDEX, Digests.sha256(bytes), bytes.length);
        store.writeBlob(d.digest(), bytes);
        store.tag("docker.io/library/multi:1", d);

        assertThat(jpull().images("docker.io/library/multi")).singleElement().satisfies(i -> {
            assertThat(i.manifestDigest()).isEqualTo(d.digest());
            assertThat(i.imageId()).isNull();
            assertThat(i.platform()).as("an attestation's unknown/unknown left out").isEqualTo(
                    "linux/amd64,linux/arm64/v8");
        });
    }

    private static String entry(Descriptor manifest, String platform) {
        return "{\"mediaType\":\"" + manifest.mediaType() + "\",\"digest\":\"" + manifest.digest() + "\",\"size\":"
                + manifest.size() + ",\"platform\":{" + platform + "}}";
    }

    @Test
    void anEmptyStoreHasNoImages() {
        assertThat(jpull().images()).isEmpty();
    }

    @Test
    void anEntryWhoseManifestIsMissingIsListedWithoutDetails() {
        OciStore store = OciStore.open(tmp.resolve("store"));
        Made a = StoreImageMaker.put(store, "docker.io/library/a:1", "a", layer("a"));
        byte[] junk = "{}".getBytes(StandardCharsets.UTF_8);
        Descriptor d = Descriptor.of(MediaTypes.OCI_MANIFEST, Digests.sha256(junk), junk.length);
        store.writeBlob(d.digest(), junk);
        store.tag("docker.io/library/odd:1", d);

        assertThat(jpull().images()).containsExactly(
                new ImageSummary("docker.io/library/a:1", a.manifest().digest(), a.configDigest(), a.size(),
                        "linux/amd64"),
                new ImageSummary("docker.io/library/odd:1", d.digest(), null, 0, null));
    }

    @Test
    void saveAndRmiNormaliseShortNames() throws Exception {
        OciStore store = OciStore.open(tmp.resolve("store"));
        Made a = StoreImageMaker.put(store, "docker.io/library/a:latest", "a", layer("a"));
        Path out = tmp.resolve("a.tar");

        List<ImageSummary> saved = jpull().save(List.of("a"), out);

        assertThat(saved).extracting(ImageSummary::reference).containsExactly("docker.io/library/a:latest");
        assertThat(out).isRegularFile();
        RemovedImage removed = jpull().rmi("a").get(0);
        assertThat(removed.reference()).isEqualTo("docker.io/library/a:latest");
        assertThat(removed.manifestDigest()).isEqualTo(a.manifest().digest());
        assertThat(removed.deletedBlobs()).containsExactlyInAnyOrderElementsOf(a.blobs());
        assertThat(jpull().images()).isEmpty();
    }

    @Test
    void savingAnImageThatIsNotInTheStoreFailsWithExitCode1AndWritesNothing() {
        OciStore store = OciStore.open(tmp.resolve("store"));
        StoreImageMaker.put(store, "docker.io/library/a:1", "a", layer("a"));
        Path out = tmp.resolve("x.tar");

        assertThatThrownBy(() -> jpull().save(List.of("docker.io/library/a:1", "busybox"), out))
                .isInstanceOf(NoSuchImageException.class)
                .hasMessage("not in the store: docker.io/library/busybox:latest (pull it first)");
        assertThat(out).doesNotExist();
    }

    @Test
    void savingAnImageWithAMissingLayerNamesIt() throws Exception {
        OciStore store = OciStore.open(tmp.resolve("store"));
        Made a = StoreImageMaker.put(store, "docker.io/library/a:1", "a", layer("a"));
        Files.delete(store.blobPath(a.layerDigests().get(0)));

        assertThatThrownBy(() -> jpull().save(List.of("docker.io/library/a:1"), tmp.resolve("x.tar")))
                .isInstanceOf(NoSuchImageException.class)
                .hasMessageContaining(a.layerDigests().get(0)).hasMessageContaining("pull it again");
    }

    @Test
    void saveRejectsAMissingDirectoryAndAMalformedReference() {
        OciStore.open(tmp.resolve("store"));
        assertThatThrownBy(() -> jpull().save(List.of("a"), tmp.resolve("no/such/dir/x.tar")))
                .isInstanceOf(DestinationException.class).hasMessageContaining("is not a directory");
        assertThatThrownBy(() -> jpull().save(List.of("UPPER/Case"), tmp.resolve("x.tar")))
                .isInstanceOf(ReferenceException.class);
    }

    @Test
    void rmiOfAnUnknownReferenceIsNoSuchImage() {
        assertThatThrownBy(() -> jpull().rmi("nope:1"))
                .isInstanceOf(NoSuchImageException.class)
                .hasMessage("no such image: docker.io/library/nope:1");
    }

    @Test
    void rmiAcceptsTheExactNameOfAnEntryThatIsNotANormalisedReference() {
        OciStore store = OciStore.open(tmp.resolve("store"));
        StoreImageMaker.put(store, "latest", "a", layer("a"));

        assertThat(jpull().rmi("latest")).extracting(RemovedImage::reference).containsExactly("latest");
    }
}
