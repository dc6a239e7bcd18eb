package dev.jpull.internal.archive;

import static dev.jpull.internal.store.StoreImageMaker.layer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpull.ArchiveException;
import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.MediaTypes;
import dev.jpull.internal.store.ImageGraph;
import dev.jpull.internal.store.OciStore;
import dev.jpull.internal.store.StoreImageMaker;
import dev.jpull.internal.store.StoreImageMaker.Made;
import dev.jpull.internal.store.StoredImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jpull load}: jpull's own archive, OCI layouts, Docker archives, and what is refused. */
class ArchiveLoaderTest {
    @TempDir
    Path tmp;

    private OciStore target() {
        return OciStore.open(tmp.resolve("target"));
    }

    /** A tar of {@code files} (in order), written with jpull's own tar writer. */
    private Path tar(String name, Map<String, byte[]> files) throws IOException {
        Path out = tmp.resolve(name);
        try (OutputStream os = Files.newOutputStream(out); TarOutput tar = new TarOutput(os)) {
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                tar.file(e.getKey(), e.getValue());
            }
            tar.finish();
        }
        return out;
    }

    @Test
    void jpullsOwnArchiveLoadsWithEveryDigestAndName() {
        OciStore source = OciStore.open(tmp.resolve("source"));
        Made a = StoreImageMaker.put(source, "docker.io/library/a:1", "a", layer("base"), layer("a"));
        Made b = StoreImageMaker.put(source, "127.0.0.1:5000/team/b:2", "b", layer("base"));
        List<StoredImage> images = new ArrayList<>();
        source.references().forEach((ref, d) -> images.add(ImageGraph.read(source, ref, d)));
        Path archive = tmp.resolve("a.tar");
        ArchiveWriter.write(source, images, archive);

        ArchiveLoader.Result r = ArchiveLoader.load(target(), archive);

        assertThat(r.format()).isEqualTo("oci");
        assertThat(r.images()).extracting(ArchiveLoader.Loaded::reference)
                .containsExactly("docker.io/library/a:1", "127.0.0.1:5000/team/b:2");
        assertThat(target().references()).containsOnlyKeys("docker.io/library/a:1", "127.0.0.1:5000/team/b:2");
        assertThat(target().references().get("docker.io/library/a:1").digest()).isEqualTo(a.manifest().digest());
        for (String blob : a.blobs()) {
            assertThat(target().check(blob, -1, true).ok()).as(blob).isTrue();
        }
        assertThat(target().hasBlob(b.configDigest())).isTrue();
        assertThat(ArchiveLoader.load(target(), archive).images()).hasSize(2); // again: nothing changes
        assertThat(target().references()).hasSize(2);
    }

    @Test
    void aDockerArchiveGetsAManifestWrittenFromItsConfigAndLayers() throws Exception {
        byte[] layer = plainTar("hello.txt", "hello\n");
        String diffId = Digests.sha256(layer);
        byte[] config = ("{\"architecture\":\"arm64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\"" + diffId + "\"]}}").getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(Digests.hex(diffId) + ".tar", layer);
        files.put(Digests.hex(Digests.sha256(config)) + ".json", config);
        files.put("manifest.json", ("[{\"Config\":\"" + Digests.hex(Digests.sha256(config)) + ".json\",\"RepoTags\":"
                + "[\"example.com/app:1\",\"alpine:3\"],\"Layers\":[\"" + Digests.hex(diffId) + ".tar\"]},"
                + "{\"Config\":\"" + Digests.hex(Digests.sha256(config)) + ".json\",\"RepoTags\":null,"
                + "\"Layers\":[\"./" + Digests.hex(diffId) + ".tar\"]}]").getBytes(StandardCharsets.UTF_8));

        ArchiveLoader.Result r = ArchiveLoader.load(target(), tar("d.tar", files));

        assertThat(r.format()).isEqualTo("docker");
        assertThat(r.images()).extracting(ArchiveLoader.Loaded::reference)
                .containsExactly("example.com/app:1", "docker.io/library/alpine:3", null);
        Descriptor entry = target().references().get("docker.io/library/alpine:3");
        assertThat(entry.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        StoredImage image = ImageGraph.read(target(), "docker.io/library/alpine:3", entry);
        assertThat(image.config().digest()).isEqualTo(Digests.sha256(config));
        assertThat(image.config().mediaType()).isEqualTo(DockerArchive.CONFIG_TYPE);
        assertThat(image.layers()).singleElement().satisfies(l -> {
            assertThat(l.digest()).isEqualTo(diffId);
            assertThat(l.mediaType()).isEqualTo(DockerArchive.LAYER_TAR);
        });
        assertThat(image.platform()).isEqualTo("linux/arm64");
        assertThat(target().index().manifests()).hasSize(3); // the unnamed one too
    }

    @Test
    void aDockerLayerThatIsNotTheConfigsDiffIdIsRefusedAndNothingIsTagged() throws Exception {
        byte[] layer = plainTar("hello.txt", "hello\n");
        byte[] config = ("{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + Digests.sha256(new byte[] {1})
                + "\"]}}").getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("l.tar", layer);
        files.put("c.json", config);
        files.put("manifest.json", "[{\"Config\":\"c.json\",\"RepoTags\":[\"a:1\"],\"Layers\":[\"l.tar\"]}]"
                .getBytes(StandardCharsets.UTF_8));
        Path archive = tar("bad.tar", files);

        assertThatThrownBy(() -> ArchiveLoader.load(target(), archive)).isInstanceOf(ArchiveException.class)
                .hasMessageContaining("l.tar is corrupt").hasMessageContaining(Digests.sha256(layer));
        assertThat(target().references()).isEmpty();
    }

    @Test
    void anOciBlobThatDoesNotMatchItsNameIsRefused() throws Exception {
        byte[] manifest = "{}".getBytes(StandardCharsets.UTF_8);
        String digest = Digests.sha256("other".getBytes(StandardCharsets.UTF_8));
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        files.put("blobs/sha256/" + Digests.hex(digest), "other!".getBytes(StandardCharsets.UTF_8));
        files.put("index.json", ("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/octet-stream\","
                + "\"digest\":\"" + digest + "\",\"size\":6,\"annotations\":{\"org.opencontainers.image.ref.name\":"
                + "\"v1\"}}]}").getBytes(StandardCharsets.UTF_8));
        Path archive = tar("o.tar", files);

        assertThatThrownBy(() -> ArchiveLoader.load(target(), archive)).isInstanceOf(ArchiveException.class)
                .hasMessageContaining("blobs/sha256/" + Digests.hex(digest) + " is corrupt");
        assertThat(target().references()).isEmpty();
        assertThat(target().hasBlob(digest)).isFalse();
        assertThat(manifest).isNotEmpty();
    }

    @Test
    void whatIsNotAnImageArchiveIsNamed() throws Exception {
        Path text = Files.writeString(tmp.resolve("notes.txt"), "x".repeat(2000));
        assertThatThrownBy(() -> ArchiveLoader.load(target(), text)).isInstanceOf(ArchiveException.class)
                .hasMessage("cannot load " + text + ": it is not a tar archive");

        Path other = tar("other.tar", Map.of("README", "hi".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> ArchiveLoader.load(target(), other)).isInstanceOf(ArchiveException.class)
                .hasMessageContaining("it is not an image archive");

        Path missing = tmp.resolve("nope.tar");
        assertThatThrownBy(() -> ArchiveLoader.load(target(), missing)).isInstanceOf(ArchiveException.class)
                .hasMessage("cannot load " + missing + ": no such file");

        Path cut = tmp.resolve("cut.tar");
        byte[] whole = Files.readAllBytes(tar("whole.tar", Map.of("a", new byte[5000])));
        Files.write(cut, java.util.Arrays.copyOf(whole, 2048));
        assertThatThrownBy(() -> ArchiveLoader.load(target(), cut)).isInstanceOf(ArchiveException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void namesAreNormalisedUnlessTheyAreABareWord() {
        assertThat(ArchiveLoader.reference("alpine:3")).isEqualTo("docker.io/library/alpine:3");
        assertThat(ArchiveLoader.reference("127.0.0.1:5000/a/b")).isEqualTo("127.0.0.1:5000/a/b:latest");
        assertThat(ArchiveLoader.reference("v1")).isEqualTo("v1");
    }

    /** A one-file tar, as an uncompressed layer. */
    private static byte[] plainTar(String name, String content) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (TarOutput tar = new TarOutput(bytes)) {
            tar.file(name, content.getBytes(StandardCharsets.UTF_8));
            tar.finish();
        }
        return bytes.toByteArray();
    }
}
