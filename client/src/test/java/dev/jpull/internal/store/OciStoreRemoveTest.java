package dev.jpull.internal.store;

import static dev.jpull.internal.store.StoreImageMaker.layer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.MediaTypes;
import dev.jpull.internal.store.StoreImageMaker.Made;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OciStore#remove}: the entry goes, and exactly the blobs no remaining entry uses. */
class OciStoreRemoveTest {
    @TempDir
    Path tmp;

    @Test
    void removesTheEntryAndTheBlobsOnlyItUsedKeepingSharedOnes() {
        OciStore store = OciStore.open(tmp);
        Made a = StoreImageMaker.put(store, "docker.io/library/a:1", "a", layer("base"), layer("a-only"));
        Made b = StoreImageMaker.put(store, "docker.io/library/b:1", "b", layer("base"), layer("b-only"));

        Removal r = store.remove("docker.io/library/a:1").orElseThrow();

        assertThat(r.reference()).isEqualTo("docker.io/library/a:1");
        assertThat(r.entry().digest()).isEqualTo(a.manifest().digest());
        assertThat(r.deletedBlobs()).containsExactly(a.manifest().digest(), a.configDigest(),
                a.layerDigests().get(1));
        assertThat(store.references()).containsOnlyKeys("docker.io/library/b:1");
        for (String gone : r.deletedBlobs()) {
            assertThat(store.hasBlob(gone)).as(gone).isFalse();
        }
        assertThat(b.blobs()).allSatisfy(d -> assertThat(store.hasBlob(d)).as(d).isTrue());
        assertThat(store.hasBlob(a.layerDigests().get(0))).isTrue();
    }

    @Test
    void aSecondReferenceToTheSameManifestKeepsEverything() {
        OciStore store = OciStore.open(tmp);
        Made a = StoreImageMaker.put(store, "docker.io/library/a:1", "a", layer("x"));
        store.tag("docker.io/library/a:latest", a.manifest());

        Removal r = store.remove("docker.io/library/a:1").orElseThrow();

        assertThat(r.deletedBlobs()).isEmpty();
        assertThat(a.blobs()).allSatisfy(d -> assertThat(store.hasBlob(d)).isTrue());
        assertThat(store.references()).containsOnlyKeys("docker.io/library/a:latest");

        Removal last = store.remove("docker.io/library/a:latest").orElseThrow();
        assertThat(last.deletedBlobs()).containsExactlyInAnyOrderElementsOf(a.blobs());
        assertThat(store.references()).isEmpty();
        assertThat(store.index().manifests()).isEmpty();
    }

    @Test
    void unknownReferenceChangesNothing() throws Exception {
        OciStore store = OciStore.open(tmp);
        StoreImageMaker.put(store, "docker.io/library/a:1", "a", layer("x"));
        byte[] before = Files.readAllBytes(tmp.resolve("index.json"));

        assertThat(store.remove("docker.io/library/nope:1")).isEmpty();

        assertThat(Files.readAllBytes(tmp.resolve("index.json"))).isEqualTo(before);
    }

    @Test
    void blobsOfNoEntryAreLeftAloneSoThatAPullInProgressKeepsWhatItDownloaded() {
        OciStore store = OciStore.open(tmp);
        StoreImageMaker.put(store, "docker.io/library/a:1", "a", layer("x"));
        byte[] inFlight = layer("downloaded, not yet tagged");
        String inFlightDigest = Digests.sha256(inFlight);
        store.writeBlob(inFlightDigest, inFlight);

        store.remove("docker.io/library/a:1").orElseThrow();

        assertThat(store.hasBlob(inFlightDigest)).isTrue();
    }

    @Test
    void keepsEverythingWhenARemainingEntrysManifestIsUnreadable() {
        OciStore store = OciStore.open(tmp);
        Made a = StoreImageMaker.put(store, "docker.io/library/a:1", "a", layer("x"));
        byte[] junk = "not json".getBytes(StandardCharsets.UTF_8);
        Descriptor broken = Descriptor.of(MediaTypes.OCI_MANIFEST, Digests.sha256(junk), junk.length);
        store.writeBlob(broken.digest(), junk);
        store.tag("docker.io/library/broken:1", broken);

        Removal r = store.remove("docker.io/library/a:1").orElseThrow();

        assertThat(r.deletedBlobs()).isEmpty();
        assertThat(a.blobs()).allSatisfy(d -> assertThat(store.hasBlob(d)).isTrue());
        assertThat(store.references()).containsOnlyKeys("docker.io/library/broken:1");
    }

    @Test
    void followsIndexEntriesToTheirChildren() throws Exception {
        OciStore store = OciStore.open(tmp);
        Made child = StoreImageMaker.put(store, "docker.io/library/child:1", "c", layer("c"));
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{"
                + "\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + child.manifest().digest()
                + "\",\"size\":" + child.manifest().size() + "}]}";
        byte[] bytes = index.getBytes(StandardCharsets.UTF_8);
        store.writeBlob(Digests.sha256(bytes), bytes);
        store.tag("docker.io/library/multi:1", Descriptor.of(MediaTypes.OCI_INDEX, Digests.sha256(bytes),
                bytes.length));

        assertThat(store.remove("docker.io/library/child:1").orElseThrow().deletedBlobs()).isEmpty();
        Removal r = store.remove("docker.io/library/multi:1").orElseThrow();

        assertThat(r.deletedBlobs()).containsExactly(Digests.sha256(bytes), child.manifest().digest(),
                child.configDigest(), child.layerDigests().get(0));
    }
}
