package dev.jpull.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.MediaTypes;
import dev.jpull.internal.oci.Platform;
import dev.jpull.spi.BlobDescriptor;
import dev.jpull.spi.BlobStatus;
import dev.jpull.spi.BlobWriter;
import dev.jpull.spi.ImagePlatform;
import dev.jpull.spi.PulledImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OCI layout store as a {@link dev.jpull.spi.Destination}: writers resume the {@code ingest/} partial at its
 * offset, commit only the expected digest and size, abort discards, a writer closed unused leaves nothing behind,
 * and {@link OciDestination#recordImage} writes the {@code index.json} entry.
 */
class OciDestinationTest {
    private static final byte[] CONTENT = "a layer of some bytes\n".getBytes(StandardCharsets.UTF_8);
    private static final BlobDescriptor BLOB = new BlobDescriptor("application/vnd.oci.image.layer.v1.tar+gzip", Digests.sha256(CONTENT),
            CONTENT.length);

    @TempDir
    Path root;
    OciDestination destination;

    @BeforeEach
    void open() {
        destination = OciDestination.open(root);
    }

    private List<String> ingest() throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("ingest"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".partial")).toList();
        }
    }

    @Test
    void aWriterClosedWithoutCommitKeepsItsBytesAndTheNextWriterResumesAtTheirOffset() {
        try (BlobWriter w = destination.openWriter(BLOB)) {
            assertThat(w.offset()).isZero();
            w.write(CONTENT, 0, 8);
        }
        try (BlobWriter w = destination.openWriter(BLOB)) {
            assertThat(w.offset()).isEqualTo(8);
            assertThat(w.digest()).isEqualTo(Digests.sha256(Arrays.copyOf(CONTENT, 8)));
            w.write(CONTENT, 8, CONTENT.length - 8);
            w.commit(BLOB.digest(), BLOB.size());
        }
        assertThat(destination.stat(BLOB, true)).isEqualTo(new BlobStatus(true, CONTENT.length, null));
        assertThat(destination.read(BLOB.digest())).hasValue(CONTENT);
    }

    @Test
    void commitRefusesAnotherDigestOrSizeAndIncompleteOrWrongContent() throws IOException {
        try (BlobWriter w = destination.openWriter(BLOB)) {
            w.write(CONTENT, 0, 5);
            assertThatThrownBy(() -> w.commit(BLOB.digest(), BLOB.size())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("5 of " + CONTENT.length);
            w.write(CONTENT, 5, CONTENT.length - 5);
            assertThatThrownBy(() -> w.commit(Digests.sha256(new byte[1]), BLOB.size()))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> w.commit(BLOB.digest(), BLOB.size() + 1))
                    .isInstanceOf(IllegalStateException.class);
            w.truncate();
            w.write(new byte[CONTENT.length], 0, CONTENT.length);
            assertThatThrownBy(() -> w.commit(BLOB.digest(), BLOB.size())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("hashes to");
        }
        assertThat(destination.stat(BLOB, false)).isEqualTo(BlobStatus.ABSENT);
        assertThat(ingest()).hasSize(1); // kept for a resume
    }

    @Test
    void abortDiscardsTheBytesAndAWriterClosedUnusedLeavesNothingInIngest() throws IOException {
        BlobWriter w = destination.openWriter(BLOB);
        w.write(CONTENT, 0, 4);
        w.abort();
        assertThat(ingest()).isEmpty();
        try (BlobWriter again = destination.openWriter(BLOB)) {
            assertThat(again.offset()).isZero();
            again.write(CONTENT, 0, CONTENT.length);
            again.commit(BLOB.digest(), BLOB.size());
        }
        try (BlobWriter unused = destination.openWriter(BLOB)) {
            assertThat(destination.stat(BLOB, false).ok()).isTrue(); // the caller sees it committed and stops
        }
        assertThat(ingest()).isEmpty();
    }

    @Test
    void statChecksTheSizeAlwaysAndTheContentOnRequest() throws IOException {
        Files.write(OciStore.open(root).blobPath(BLOB.digest()), new byte[CONTENT.length]);
        assertThat(destination.stat(BLOB, false).ok()).isTrue();
        assertThat(destination.stat(BLOB, true).problem()).startsWith("hashes to ");
        BlobDescriptor otherSize = new BlobDescriptor(BLOB.mediaType(), BLOB.digest(), BLOB.size() + 1);
        assertThat(destination.stat(otherSize, false).bad()).isTrue();
        destination.remove(BLOB.digest());
        assertThat(destination.stat(BLOB, false)).isEqualTo(BlobStatus.ABSENT);
        assertThat(destination.read(BLOB.digest())).isEmpty();
    }

    @Test
    void recordImageTagsTheManifestWithThePlatformChosenFromTheIndex() {
        Descriptor manifest = OciStoreTest.storeManifest(destination.store(), "record");
        BlobDescriptor m = new BlobDescriptor(manifest.mediaType(), manifest.digest(), manifest.size());
        destination.recordImage(new PulledImage("docker.io/library/x:1", m,
                new ImagePlatform("linux", "arm64", "v8", null, null), BLOB, List.of(BLOB)));

        assertThat(destination.store().lookup("docker.io/library/x:1")).hasValueSatisfying(d -> {
            assertThat(d.digest()).isEqualTo(manifest.digest());
            assertThat(d.size()).isEqualTo(manifest.size());
            assertThat(d.platform()).isEqualTo(new Platform("arm64", "linux", null, null, "v8"));
        });
    }
}
