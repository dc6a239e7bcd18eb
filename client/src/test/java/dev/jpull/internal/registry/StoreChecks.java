package dev.jpull.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.store.OciStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Store assertions and child-JVM helpers shared by the interrupted and concurrent pull tests. */
final class StoreChecks {
    private StoreChecks() {
    }

    /** Every file under {@code blobs/sha256/} hashes to its name; returns how many there are. */
    static int assertEveryBlobMatchesItsName(Path store) {
        try (Stream<Path> files = Files.list(store.resolve("blobs/sha256"))) {
            List<Path> all = files.toList();
            for (Path f : all) {
                assertThat(Digests.sha256(Files.readAllBytes(f))).as("blob %s", f.getFileName())
                        .isEqualTo("sha256:" + f.getFileName());
            }
            return all.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole image is in the store, tagged, every blob verified, no partial left behind. */
    static void assertImageComplete(Path store, TestImage image, String ref) {
        OciStore s = OciStore.open(store);
        assertThat(s.lookup(ref)).hasValueSatisfying(d -> assertThat(d.digest()).isEqualTo(image.manifestDigest()));
        assertThat(s.readBlob(image.configDigest())).isEqualTo(image.config());
        for (int i = 0; i < image.layers().size(); i++) {
            assertThat(s.readBlob(image.layerDigests().get(i))).isEqualTo(image.layers().get(i));
        }
        assertEveryBlobMatchesItsName(store);
        try (Stream<Path> ingest = Files.list(store.resolve("ingest"))) {
            assertThat(ingest.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@link PullWorker} in a new JVM, output to {@code log}. */
    static Process startWorker(Path store, String ref, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", dev.jpull.TestJvm.classPath(), PullWorker.class.getName(),
                store.toString(), ref)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
