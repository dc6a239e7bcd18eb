package dev.jpull.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpull.StoreException;
import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.MediaTypes;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 8 point 8: what is read back from the store is bounded, and a store file that cannot be used is a one-line
 * {@link StoreException} naming the file and what to do, never an {@code OutOfMemoryError} or a Jackson message.
 */
class StoreReadBoundsTest {
    @TempDir
    Path tmp;

    @Test
    void anIndexJsonLargerThan16MiBIsRefusedWithoutReadingIt() throws IOException {
        OciStore store = OciStore.open(tmp);
        Path index = tmp.resolve("index.json");
        try (RandomAccessFile f = new RandomAccessFile(index.toFile(), "rw")) {
            f.setLength(100L * 1024 * 1024); // sparse: 100 MB on disk costs nothing
        }

        assertThatThrownBy(store::references).isInstanceOf(StoreException.class)
                .hasMessageContaining(index.toString()).hasMessageContaining("16 MiB")
                .hasMessageContaining("remove or repair it");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[1,2]", "{\"manifests\":\"x\"}", "{\"manifests\":[{\"digest\":5}]}",
        "{\"manifests\":[{\"mediaType\":\"m\",\"digest\":\"sha256:1\",\"size\":1}]}", "null", "\u0000\u0001\u00ff",
        "{\"schemaVersion\":\"two\"}", "{\"manifests\":[null]}"})
    void aCorruptIndexJsonIsOneLineNamingTheFile(String content) throws IOException {
        OciStore store = OciStore.open(tmp);
        Path index = Files.writeString(tmp.resolve("index.json"), content);

        assertThatThrownBy(store::references).isInstanceOf(StoreException.class)
                .hasMessageContaining(index + " is corrupt").hasMessageContaining("remove or repair it")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("dev.jpull")
                        .doesNotContain("JsonToken"));
        byte[] manifest = "{}".getBytes(StandardCharsets.UTF_8);
        store.writeBlob(Digests.sha256(manifest), manifest);
        assertThatThrownBy(() -> store.tag("docker.io/library/x:1",
                Descriptor.of(MediaTypes.OCI_MANIFEST, Digests.sha256(manifest), manifest.length)))
                .isInstanceOf(StoreException.class).hasMessageContaining(index.toString());
        assertThat(index).hasContent(content);
    }

    @Test
    void anOversizedManifestInTheStoreMakesItsImageBrokenNotTheListing() throws IOException {
        OciStore store = OciStore.open(tmp);
        byte[] big = new byte[(int) StoreFiles.MAX_METADATA_BYTES + 1];
        String digest = Digests.sha256(big);
        store.writeBlob(digest, big);
        Descriptor d = Descriptor.of(MediaTypes.OCI_MANIFEST, digest, big.length);

        assertThatThrownBy(() -> store.readBlob(digest)).isInstanceOf(StoreException.class)
                .hasMessageContaining(store.blobPath(digest).toString());
        assertThatThrownBy(() -> ImageGraph.read(store, "x", d))
                .isInstanceOf(ImageGraph.BrokenImageException.class).hasMessageContaining("16 MiB");
    }

    /** A real ENOSPC (writing /dev/full) becomes "cannot write FILE: No space left on device". */
    @Test
    void aFullDiskNamesTheFileBeingWritten() throws IOException {
        IOException enospc;
        try (FileChannel full = FileChannel.open(Path.of("/dev/full"), StandardOpenOption.WRITE)) {
            full.write(ByteBuffer.wrap(new byte[4096]));
            throw new AssertionError("/dev/full accepted a write");
        } catch (IOException e) {
            enospc = e;
        }
        Path partial = tmp.resolve("ingest/sha256-ab.partial");

        StoreException e = StoreFiles.failure("write", partial, enospc);

        assertThat(e.getMessage()).isEqualTo("cannot write " + partial + ": No space left on device");
    }
}
