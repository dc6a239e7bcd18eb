package dev.jpull.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpull.StoreException;
import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.MediaTypes;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class OciStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void openCreatesTheLayoutFiles() throws Exception {
        Path dir = tmp.resolve("a/b/store");
        OciStore store = OciStore.open(dir);

        assertThat(store.root()).isEqualTo(dir.toAbsolutePath());
        assertThat(JSON.readTree(dir.resolve("oci-layout").toFile()))
                .isEqualTo(JSON.readTree("{\"imageLayoutVersion\":\"1.0.0\"}"));
        assertThat(JSON.readTree(dir.resolve("index.json").toFile())).isEqualTo(JSON.readTree(
                "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}"));
        assertThat(dir.resolve("blobs/sha256")).isDirectory();
        assertThat(store.index().manifests()).isEmpty();
    }

    @Test
    void reopeningKeepsTheIndex() {
        OciStore store = OciStore.open(tmp);
        Descriptor m = storeManifest(store, "one");
        store.tag("docker.io/library/a:1", m);

        OciStore again = OciStore.open(tmp);

        assertThat(again.lookup("docker.io/library/a:1")).map(Descriptor::digest).contains(m.digest());
    }

    @Test
    void openRejectsAPathThatIsAFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("plain"), "x");

        assertThatThrownBy(() -> OciStore.open(file))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot use store directory \"" + file + "\"")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> OciStore.open(file.resolve("sub")))
                .isInstanceOf(StoreException.class);
    }

    @Test
    void writeBlobStoresVerifiedContent() {
        OciStore store = OciStore.open(tmp);
        byte[] bytes = "hello".getBytes(StandardCharsets.UTF_8);
        String digest = Digests.sha256(bytes);

        assertThat(store.hasBlob(digest)).isFalse();
        store.writeBlob(digest, bytes);

        assertThat(store.hasBlob(digest)).isTrue();
        assertThat(store.blobPath(digest)).isEqualTo(tmp.resolve("blobs/sha256/" + Digests.hex(digest)));
        assertThat(store.readBlob(digest)).isEqualTo(bytes);
        store.writeBlob(digest, bytes);
        assertThat(store.readBlob(digest)).isEqualTo(bytes);
        assertThat(ingestFiles()).isEmpty();
    }

    @Test
    void writeBlobRejectsContentThatDoesNotMatch() {
        OciStore store = OciStore.open(tmp);
        String digest = Digests.sha256("expected".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> store.writeBlob(digest, "other".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(digest);
        assertThat(store.hasBlob(digest)).isFalse();
        assertThat(ingestFiles()).isEmpty();
    }

    @Test
    void readBlobOfAMissingBlobFails() {
        OciStore store = OciStore.open(tmp);
        String digest = Digests.sha256(new byte[] {1});

        assertThatThrownBy(() -> store.readBlob(digest)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(digest);
    }

    @Test
    void commitMovesTheTempFileIntoPlaceAndIsIdempotent() throws Exception {
        OciStore store = OciStore.open(tmp);
        byte[] bytes = "layer".getBytes(StandardCharsets.UTF_8);
        String digest = Digests.sha256(bytes);

        Path temp = store.createTemp(digest);
        assertThat(temp.getParent()).isEqualTo(tmp.resolve("ingest"));
        // one file system (device), so commit is a rename; asked without the mount table, as in a chroot
        assertThat(Files.getAttribute(temp, "unix:dev")).isEqualTo(Files.getAttribute(tmp.resolve("blobs/sha256"),
                "unix:dev"));
        assertThat(store.hasBlob(digest)).isFalse();
        Files.write(temp, bytes);
        assertThat(store.hasBlob(digest)).isFalse();

        store.commit(temp, digest);
        assertThat(temp).doesNotExist();
        assertThat(store.readBlob(digest)).isEqualTo(bytes);

        Path second = store.createTemp(digest);
        assertThat(second).isNotEqualTo(temp);
        Files.write(second, bytes);
        store.commit(second, digest);
        assertThat(second).doesNotExist();
        assertThat(store.readBlob(digest)).isEqualTo(bytes);
        assertThat(ingestFiles()).isEmpty();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"sha256:../../etc", "sha256:../../../../tmp/x", "sha256:ABCDEF",
            "md5:d41d8cd98f00b204e9800998ecf8427e", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855/../x", ""})
    void invalidDigestsAreRejectedBeforeAnyPathIsBuilt(String digest) throws Exception {
        OciStore store = OciStore.open(tmp.resolve("store"));
        Path temp = store.createTemp(Digests.sha256(new byte[0]));

        assertThatThrownBy(() -> store.blobPath(digest)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.hasBlob(digest)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.readBlob(digest)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.createTemp(digest)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.writeBlob(digest, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.commit(temp, digest)).isInstanceOf(IllegalArgumentException.class);

        assertThat(temp).exists();
        assertThat(tmp.resolve("store/blobs/sha256").toFile().list()).isEmpty();
        try (Stream<Path> all = Files.walk(tmp)) {
            assertThat(all.filter(p -> p.getFileName().toString().matches("etc|x")).toList()).isEmpty();
        }
    }

    @Test
    void tagReplacesTheSameRefInPlaceAndKeepsOthers() {
        OciStore store = OciStore.open(tmp);
        Descriptor one = storeManifest(store, "one");
        Descriptor two = storeManifest(store, "two");
        Descriptor three = storeManifest(store, "three");

        store.tag("docker.io/library/alpine:latest", one);
        store.tag("127.0.0.1:5000/library/alpine:latest", two);
        store.tag("docker.io/library/alpine:latest", three);

        List<Descriptor> entries = store.index().manifests();
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).digest()).isEqualTo(three.digest());
        assertThat(entries.get(0).annotations())
                .containsEntry("org.opencontainers.image.ref.name", "docker.io/library/alpine:latest");
        assertThat(entries.get(1).digest()).isEqualTo(two.digest());
        assertThat(store.lookup("docker.io/library/alpine:latest")).map(Descriptor::digest).contains(three.digest());
        assertThat(store.lookup("127.0.0.1:5000/library/alpine:latest")).map(Descriptor::size).contains(two.size());
        assertThat(store.lookup("docker.io/library/alpine:3")).isEmpty();
    }

    @Test
    void tagKeepsTheDescriptorsOwnAnnotations() {
        OciStore store = OciStore.open(tmp);
        Descriptor m = storeManifest(store, "one")
                .withAnnotations(Map.of("org.opencontainers.image.created", "2024-01-01"));

        store.tag("r", m);

        assertThat(store.lookup("r").orElseThrow().annotations())
                .containsEntry("org.opencontainers.image.created", "2024-01-01")
                .containsEntry("org.opencontainers.image.ref.name", "r");
    }

    @Test
    void tagRequiresTheManifestBlobAndARefName() {
        OciStore store = OciStore.open(tmp);
        Descriptor absent = Descriptor.of(MediaTypes.OCI_MANIFEST, Digests.sha256(new byte[] {9}), 1);
        Descriptor present = storeManifest(store, "one");

        assertThatThrownBy(() -> store.tag("r", absent)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(absent.digest());
        assertThatThrownBy(() -> store.tag(" ", present)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.tag("r", Descriptor.of(MediaTypes.OCI_MANIFEST, "sha256:../x", 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.index().manifests()).isEmpty();
    }

    @Test
    void indexJsonEntriesAreMinimalAndAlwaysCarrySize() throws Exception {
        OciStore store = OciStore.open(tmp);
        String empty = Digests.sha256(new byte[0]);
        store.writeBlob(empty, new byte[0]);

        store.tag("zero", Descriptor.of(MediaTypes.OCI_MANIFEST, empty, 0));

        JsonNode entry = JSON.readTree(tmp.resolve("index.json").toFile()).get("manifests").get(0);
        List<String> fields = new ArrayList<>();
        entry.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("mediaType", "digest", "size", "annotations");
        assertThat(entry.get("size").isNumber()).isTrue();
        assertThat(entry.get("size").asLong()).isZero();
    }

    private List<Path> ingestFiles() {
        try (Stream<Path> s = Files.list(tmp.resolve("ingest"))) {
            return s.toList();
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stores a small distinct manifest-like blob and returns its descriptor. */
    static Descriptor storeManifest(OciStore store, String marker) {
        byte[] bytes = ("{\"schemaVersion\":2,\"marker\":\"" + marker + "\"}").getBytes(StandardCharsets.UTF_8);
        String digest = Digests.sha256(bytes);
        store.writeBlob(digest, bytes);
        return Descriptor.of(MediaTypes.OCI_MANIFEST, digest, bytes.length);
    }
}
