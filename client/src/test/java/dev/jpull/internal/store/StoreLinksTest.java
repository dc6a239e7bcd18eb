package dev.jpull.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpull.StoreException;
import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.MediaTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 point 1: a link (or a directory, or another user's file) planted at a name the store uses is never
 * followed: jpull removes it in {@code ingest/} and at blob paths, and refuses it elsewhere with a message naming
 * the path. Files jpull writes are 0644, directories it creates 0755, and a world-writable store is refused.
 */
class StoreLinksTest {
    private static final byte[] CONTENT = "the real layer\n".getBytes(StandardCharsets.UTF_8);
    private static final String DIGEST = Digests.sha256(CONTENT);
    private static final String HEX = Digests.hex(DIGEST);

    @TempDir
    Path tmp;
    Path root;
    Path victim;

    @BeforeEach
    void setUp() throws IOException {
        root = tmp.resolve("store");
        victim = Files.writeString(tmp.resolve("victim"), "precious\n");
    }

    private PartialBlob fill(OciStore store, BlobLock lock) {
        PartialBlob p = store.openPartial(DIGEST, CONTENT.length);
        p.append(CONTENT, 0, CONTENT.length);
        store.commit(p, lock);
        return p;
    }

    @Test
    void aLinkPlantedAsThePartialIsRemovedNotWrittenThroughAndNeverRenamedIntoBlobs() throws IOException {
        OciStore store = OciStore.open(root);
        Path partial = store.partialPath(DIGEST);
        Files.createSymbolicLink(partial, victim);

        try (BlobLock lock = store.lockBlob(DIGEST)) {
            fill(store, lock);
        }

        assertThat(victim).hasContent("precious");
        Path blob = store.blobPath(DIGEST);
        assertThat(Files.isSymbolicLink(blob)).isFalse();
        assertThat(Files.readAllBytes(blob)).isEqualTo(CONTENT);
    }

    @Test
    void aLinkPlantedAsTheLockFileCreatesNothingWhereItPoints() throws IOException {
        OciStore store = OciStore.open(root);
        Path lockFile = root.resolve("ingest/sha256-" + HEX + ".lock");
        Path elsewhere = tmp.resolve("created-through-link");
        Files.createSymbolicLink(lockFile, elsewhere);

        try (BlobLock lock = store.lockBlob(DIGEST)) {
            assertThat(Files.isRegularFile(lockFile, LinkOption.NOFOLLOW_LINKS)).isTrue();
        }

        assertThat(elsewhere).doesNotExist();
    }

    @Test
    void aDirectoryOrAnotherUsersFileAtThePartialIsReplaced() throws IOException {
        OciStore store = OciStore.open(root);
        Path partial = store.partialPath(DIGEST);
        Files.createDirectories(partial.resolve("sub"));
        try (BlobLock lock = store.lockBlob(DIGEST)) {
            fill(store, lock);
        }
        assertThat(Files.readAllBytes(store.blobPath(DIGEST))).isEqualTo(CONTENT);

        if (!Files.getAttribute(root, "unix:uid").equals(0)) {
            return; // only root can give a file away (chown) to plant another user's file
        }
        String other = Digests.sha256("other".getBytes(StandardCharsets.UTF_8));
        Path foreign = Files.write(store.partialPath(other), "oth".getBytes(StandardCharsets.UTF_8));
        Files.setAttribute(foreign, "unix:uid", 54321);
        try (BlobLock lock = store.lockBlob(other); PartialBlob p = store.openPartial(other, 5)) {
            assertThat(p.offset()).as("the foreign prefix is not kept").isZero();
            assertThat(Files.getAttribute(foreign, "unix:uid", LinkOption.NOFOLLOW_LINKS))
                    .isEqualTo(Files.getAttribute(root, "unix:uid"));
        }
    }

    @Test
    void aLinkAtTheIndexLockIsRefusedWithItsPath() throws IOException {
        OciStore store = OciStore.open(root);
        store.writeBlob(DIGEST, CONTENT);
        Path elsewhere = tmp.resolve("lock-elsewhere");
        Files.delete(root.resolve(".jpull.lock"));
        Files.createSymbolicLink(root.resolve(".jpull.lock"), elsewhere);

        assertThatThrownBy(() -> store.tag("docker.io/library/x:1", Descriptor.of(MediaTypes.OCI_MANIFEST, DIGEST,
                CONTENT.length)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(root.resolve(".jpull.lock").toString())
                .hasMessageContaining("symbolic link");
        assertThat(elsewhere).doesNotExist();
    }

    @Test
    void aLinkedIndexJsonIsNeitherReadNorReplacedThroughTheLink() throws IOException {
        OciStore.open(root);
        Path index = root.resolve("index.json");
        Files.delete(index);
        Files.createSymbolicLink(index, victim);

        assertThatThrownBy(() -> OciStore.open(root)).isInstanceOf(StoreException.class)
                .hasMessageContaining(index.toString()).hasMessageContaining("symbolic link");
        OciStore store = openIgnoringIndex();
        assertThatThrownBy(store::references).isInstanceOf(StoreException.class)
                .hasMessageContaining(index.toString());
        assertThat(victim).hasContent("precious");
    }

    /** A store object whose open did not stop at the planted index (as a second process would see it). */
    private OciStore openIgnoringIndex() throws IOException {
        Path index = root.resolve("index.json");
        Path target = Files.readSymbolicLink(index);
        Files.delete(index);
        OciStore store = OciStore.open(root);
        Files.delete(index);
        Files.createSymbolicLink(index, target);
        return store;
    }

    @Test
    void aLinkAtABlobPathIsNotABlobAndIsReplacedWithoutTouchingItsTarget() throws IOException {
        OciStore store = OciStore.open(root);
        Path copy = Files.write(tmp.resolve("copy"), CONTENT);
        Files.createSymbolicLink(store.blobPath(DIGEST), copy);

        assertThat(store.hasBlob(DIGEST)).isFalse();
        assertThat(store.check(DIGEST, CONTENT.length, false).problem()).isEqualTo("is a symbolic link");
        store.writeBlob(DIGEST, CONTENT);

        assertThat(Files.isSymbolicLink(store.blobPath(DIGEST))).isFalse();
        assertThat(Files.readAllBytes(store.blobPath(DIGEST))).isEqualTo(CONTENT);
        assertThat(copy).exists();
    }

    @Test
    void aLinkIsNeverRenamedIntoBlobs() throws IOException {
        OciStore store = OciStore.open(root);
        Path link = root.resolve("ingest/planted.partial");
        Files.createSymbolicLink(link, Files.write(tmp.resolve("copy"), CONTENT));

        assertThatThrownBy(() -> store.commit(link, DIGEST)).isInstanceOf(StoreException.class)
                .hasMessageContaining(link.toString());
        assertThat(store.blobPath(DIGEST)).doesNotExist();
        assertThat(Files.exists(store.blobPath(DIGEST), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void linkedLayoutFilesAndDirectoriesOfANewStoreAreRefused() throws IOException {
        Files.createDirectories(root);
        Files.createSymbolicLink(root.resolve("oci-layout"), tmp.resolve("layout-elsewhere"));
        assertThatThrownBy(() -> OciStore.open(root)).isInstanceOf(StoreException.class)
                .hasMessageContaining(root.resolve("oci-layout").toString());
        assertThat(tmp.resolve("layout-elsewhere")).doesNotExist();

        Path other = tmp.resolve("store2");
        Files.createDirectories(other);
        Files.createDirectories(tmp.resolve("blobs-elsewhere"));
        Files.createSymbolicLink(other.resolve("blobs"), tmp.resolve("blobs-elsewhere"));
        assertThatThrownBy(() -> OciStore.open(other)).isInstanceOf(StoreException.class)
                .hasMessageContaining(other.resolve("blobs").toString());
        assertThat(tmp.resolve("blobs-elsewhere/sha256")).doesNotExist();
    }

    @Test
    void everyFileIs0644AndEveryDirectory0755WhateverTheTempFileDefaults() throws IOException {
        OciStore store = OciStore.open(root);
        byte[] manifest = "{}".getBytes(StandardCharsets.UTF_8);
        String m = Digests.sha256(manifest);
        store.writeBlob(m, manifest);
        try (BlobLock lock = store.lockBlob(DIGEST)) {
            fill(store, lock);
        }
        store.tag("docker.io/library/x:1", Descriptor.of(MediaTypes.OCI_MANIFEST, m, manifest.length));

        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p,
                        LinkOption.NOFOLLOW_LINKS));
                assertThat(mode).as(root.relativize(p).toString())
                        .isEqualTo(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--");
            }
        }
        assertThat(List.of("index.json", "oci-layout", "blobs/sha256/" + Digests.hex(m)))
                .allSatisfy(f -> assertThat(root.resolve(f)).isRegularFile());
    }

    @Test
    void aWorldWritableStoreDirectoryIsRefused() throws IOException {
        OciStore.open(root);
        Files.setPosixFilePermissions(root.resolve("blobs/sha256"), PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> OciStore.open(root)).isInstanceOf(StoreException.class)
                .hasMessageContaining(root.resolve("blobs/sha256").toString())
                .hasMessageContaining("writable by every user");
    }
}
