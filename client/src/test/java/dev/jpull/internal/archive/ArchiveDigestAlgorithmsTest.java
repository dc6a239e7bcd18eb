package dev.jpull.internal.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.MediaTypes;
import dev.jpull.internal.store.ImageGraph;
import dev.jpull.internal.store.OciStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stored image with sha512 and sha384 digests: the store keeps and {@code save} writes each under its algorithm. */
class ArchiveDigestAlgorithmsTest {
    @TempDir
    Path tmp;

    @Test
    void eachBlobGoesUnderItsAlgorithmsDirectory() throws IOException {
        OciStore store = OciStore.open(tmp.resolve("store"));
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = "layer bytes".getBytes(StandardCharsets.UTF_8);
        String configDigest = Digests.compute("sha512", config);
        String layerDigest = Digests.compute("sha384", layer);
        store.writeBlob(configDigest, config);
        store.writeBlob(layerDigest, layer);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{"
                + "\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer"
                + ".v1.tar\",\"digest\":\"" + layerDigest + "\",\"size\":" + layer.length + "}]}")
                .getBytes(StandardCharsets.UTF_8);
        String manifestDigest = Digests.compute("sha512", manifest);
        store.writeBlob(manifestDigest, manifest);
        store.tag("example.com/app:1", Descriptor.of(MediaTypes.OCI_MANIFEST, manifestDigest, manifest.length));

        assertThat(store.blobPath(layerDigest)).isEqualTo(store.root().resolve("blobs/sha384/"
                + Digests.hex(layerDigest))).hasBinaryContent(layer);
        var image = ImageGraph.read(store, "example.com/app:1", store.lookup("example.com/app:1").orElseThrow());
        assertThat(image.blobs()).containsExactly(manifestDigest, configDigest, layerDigest);
        Path tar = tmp.resolve("out.tar");
        ArchiveWriter.write(store, List.of(image), tar);

        Map<String, byte[]> entries = TarEntries.read(tar);
        assertThat(entries).containsKeys("blobs/sha512/", "blobs/sha384/");
        assertThat(entries.get("blobs/sha512/" + Digests.hex(manifestDigest))).isEqualTo(manifest);
        assertThat(entries.get("blobs/sha512/" + Digests.hex(configDigest))).isEqualTo(config);
        assertThat(entries.get("blobs/sha384/" + Digests.hex(layerDigest))).isEqualTo(layer);
        assertThat(new String(entries.get("manifest.json"), StandardCharsets.UTF_8))
                .contains("blobs/sha512/" + Digests.hex(configDigest));
    }
}
