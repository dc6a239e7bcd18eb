package dev.jpull.internal.archive;

import static dev.jpull.internal.store.StoreImageMaker.layer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.store.ImageGraph;
import dev.jpull.internal.store.OciStore;
import dev.jpull.internal.store.StoreImageMaker;
import dev.jpull.internal.store.StoreImageMaker.Made;
import dev.jpull.internal.store.StoredImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private OciStore store;
    private Made a;
    private Made b;

    private List<StoredImage> twoImagesSharingALayerAndATagAlias() {
        store = OciStore.open(tmp.resolve("store"));
        a = StoreImageMaker.put(store, "docker.io/library/a:1", "a", layer("base"), layer("a"));
        b = StoreImageMaker.put(store, "127.0.0.1:5000/team/b:2", "b", layer("base"), layer("b"));
        store.tag("docker.io/library/a:latest", a.manifest());
        store.tag("docker.io/library/a@" + a.manifest().digest(), a.manifest());
        List<StoredImage> images = new ArrayList<>();
        store.references().forEach((ref, d) -> images.add(ImageGraph.read(store, ref, d)));
        return images;
    }

    @Test
    void archiveIsAnOciLayoutWithDockersManifestJson() throws Exception {
        List<StoredImage> images = twoImagesSharingALayerAndATagAlias();
        Path out = tmp.resolve("images.tar");

        long size = ArchiveWriter.write(store, images, out);

        assertThat(Files.size(out)).isEqualTo(size);
        Map<String, byte[]> entries = TarEntries.read(out);
        List<String> blobNames = new ArrayList<>();
        Stream.of(a.blobs(), b.blobs()).flatMap(List::stream).distinct()
                .forEach(d -> blobNames.add("blobs/sha256/" + Digests.hex(d)));
        List<String> expectedNames = new ArrayList<>(List.of("blobs/", "blobs/sha256/"));
        expectedNames.addAll(blobNames);
        expectedNames.addAll(List.of("oci-layout", "index.json", "manifest.json"));
        assertThat(entries.keySet()).containsExactlyElementsOf(expectedNames);
        for (String name : blobNames) {
            String digest = "sha256:" + name.substring("blobs/sha256/".length());
            assertThat(entries.get(name)).as(name).isEqualTo(store.readBlob(digest));
        }

        assertThat(JSON.readTree(entries.get("oci-layout"))).isEqualTo(JSON.readTree("{\"imageLayoutVersion\":\"1.0.0\"}"));

        JsonNode index = JSON.readTree(entries.get("index.json"));
        assertThat(index.path("schemaVersion").asInt()).isEqualTo(2);
        assertThat(index.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
        JsonNode manifests = index.path("manifests");
        assertThat(manifests).hasSize(4);
        List<String> refs = List.of("docker.io/library/a:1", "127.0.0.1:5000/team/b:2", "docker.io/library/a:latest",
                "docker.io/library/a@" + a.manifest().digest());
        for (int i = 0; i < refs.size(); i++) {
            JsonNode m = manifests.get(i);
            Made made = i == 1 ? b : a;
            assertThat(m.path("digest").asText()).isEqualTo(made.manifest().digest());
            assertThat(m.path("size").asLong()).isEqualTo(made.manifest().size());
            assertThat(m.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
            assertThat(m.path("platform").path("os").asText()).isEqualTo("linux");
            assertThat(m.path("platform").path("architecture").asText()).isEqualTo("amd64");
            assertThat(m.path("annotations").path("io.containerd.image.name").asText()).isEqualTo(refs.get(i));
            assertThat(m.path("annotations").path("org.opencontainers.image.ref.name").asText()).isEqualTo(refs.get(i));
        }

        JsonNode docker = JSON.readTree(entries.get("manifest.json"));
        assertThat(docker).hasSize(2);
        assertThat(docker.get(0).path("Config").asText()).isEqualTo("blobs/sha256/" + Digests.hex(a.configDigest()));
        assertThat(texts(docker.get(0).path("RepoTags")))
                .containsExactly("docker.io/library/a:1", "docker.io/library/a:latest");
        assertThat(texts(docker.get(0).path("Layers"))).containsExactly(
                "blobs/sha256/" + Digests.hex(a.layerDigests().get(0)),
                "blobs/sha256/" + Digests.hex(a.layerDigests().get(1)));
        assertThat(docker.get(1).path("Config").asText()).isEqualTo("blobs/sha256/" + Digests.hex(b.configDigest()));
        assertThat(texts(docker.get(1).path("RepoTags"))).containsExactly("127.0.0.1:5000/team/b:2");
        for (JsonNode m : docker) {
            for (JsonNode path : m.path("Layers")) {
                assertThat(entries).containsKey(path.asText());
            }
            assertThat(entries).containsKey(m.path("Config").asText());
        }
    }

    @Test
    void gnuTarReadsTheArchiveAndExtractsTheSameBlobs() throws Exception {
        List<StoredImage> images = twoImagesSharingALayerAndATagAlias();
        Path out = tmp.resolve("images.tar");
        ArchiveWriter.write(store, images, out);
        Path x = Files.createDirectory(tmp.resolve("x"));

        Process p = new ProcessBuilder("tar", "-xf", out.toString(), "-C", x.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).isEmpty();

        for (String digest : a.blobs()) {
            assertThat(x.resolve("blobs/sha256/" + Digests.hex(digest))).hasBinaryContent(store.readBlob(digest));
        }
        assertThat(x.resolve("manifest.json")).exists();
        assertThat(x.resolve("index.json")).exists();
    }

    @Test
    void savingTheSameImagesTwiceGivesTheSameBytes() throws Exception {
        List<StoredImage> images = twoImagesSharingALayerAndATagAlias();
        ArchiveWriter.write(store, images, tmp.resolve("1.tar"));
        ArchiveWriter.write(store, images, tmp.resolve("2.tar"));

        assertThat(Files.readAllBytes(tmp.resolve("1.tar"))).isEqualTo(Files.readAllBytes(tmp.resolve("2.tar")));
        assertThat(Files.size(tmp.resolve("1.tar")) % 512).isZero();
    }

    @Test
    void aCorruptBlobFailsTheSaveAndLeavesNoFileBehind() throws Exception {
        List<StoredImage> images = twoImagesSharingALayerAndATagAlias();
        Path layerPath = store.blobPath(b.layerDigests().get(1));
        byte[] bytes = Files.readAllBytes(layerPath);
        bytes[0] ^= 1;
        Files.write(layerPath, bytes);
        Path dir = Files.createDirectory(tmp.resolve("out"));

        assertThatThrownBy(() -> ArchiveWriter.write(store, images, dir.resolve("images.tar")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(b.layerDigests().get(1)).hasMessageContaining("corrupt");

        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void longNamesGoIntoAPaxHeaderThatGnuTarHonours() throws Exception {
        String longName = "dir/" + "n".repeat(150) + ".txt";
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (TarOutput tar = new TarOutput(buf)) {
            tar.file(longName, "hello".getBytes(StandardCharsets.UTF_8));
            tar.file("short", 3, new ByteArrayInputStream("abcdef".getBytes(StandardCharsets.UTF_8)));
            tar.finish();
        }
        Path out = Files.write(tmp.resolve("long.tar"), buf.toByteArray());

        assertThat(TarEntries.read(out)).containsOnlyKeys(longName, "short");
        Process p = new ProcessBuilder("tar", "-tf", out.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines())
                .containsExactly(longName, "short");
        assertThat(p.exitValue()).isZero();
    }

    @Test
    void paxRecordLengthsCountThemselves() {
        for (int n = 1; n < 300; n++) {
            byte[] rec = TarOutput.paxRecords(Map.of("path", "p".repeat(n)));
            String s = new String(rec, StandardCharsets.UTF_8);
            assertThat(Integer.parseInt(s.substring(0, s.indexOf(' ')))).as("value length %d", n)
                    .isEqualTo(rec.length);
        }
    }

    @Test
    void aStreamShorterThanDeclaredFails() {
        TarOutput tar = new TarOutput(new ByteArrayOutputStream());
        assertThatThrownBy(() -> tar.file("x", 10, new ByteArrayInputStream(new byte[4])))
                .isInstanceOf(java.io.EOFException.class).hasMessageContaining("6 bytes short");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
