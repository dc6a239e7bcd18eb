package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.Jpull;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * jpull never depends on the mount table: {@code Files.getFileStore} (and {@code FileSystem.getFileStores}) read
 * {@code /proc/self/mounts}, which has no entry for the root of a chroot (sbuild, pbuilder, image builders), so any
 * call fails there with "Mount point not found" ({@code ChrootIT} runs the store commands in a real chroot). Checked
 * on the compiled classes of the library and the CLI: a constant pool names every method a class calls.
 */
class NoMountTableTest {
    private static final List<String> MOUNT_TABLE_CALLS = List.of("getFileStore", "java/nio/file/FileStore");

    @Test
    void noClassOfTheLibraryOrTheCliAsksForAFileStore() throws Exception {
        List<String> classes = new ArrayList<>();
        List<String> offending = new ArrayList<>();
        for (Class<?> anchor : List.of(Jpull.class, Main.class)) {
            forEachClass(location(anchor), (name, bytes) -> {
                classes.add(name);
                String constants = new String(bytes, StandardCharsets.ISO_8859_1);
                if (MOUNT_TABLE_CALLS.stream().anyMatch(constants::contains)) {
                    offending.add(name);
                }
            });
        }
        assertThat(classes).as("classes scanned").contains("dev/jpull/internal/archive/ArchiveWriter.class",
                "dev/jpull/internal/store/OciStore.class", "dev/jpull/cli/command/SaveCommand.class");
        assertThat(offending).as("classes that read the mount table (fails in a chroot)").isEmpty();
    }

    private static Path location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private interface ClassVisitor {
        void visit(String name, byte[] bytes) throws IOException;
    }

    /** Every {@code .class} under a classes directory or in a jar (the reactor gives either). */
    private static void forEachClass(Path location, ClassVisitor visitor) throws IOException {
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    visitor.visit(location.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
                }
            }
            return;
        }
        try (ZipFile jar = new ZipFile(location.toFile())) {
            for (var e : jar.stream().filter(e -> e.getName().endsWith(".class")).toList()) {
                try (var in = jar.getInputStream(e)) {
                    visitor.visit(e.getName(), in.readAllBytes());
                }
            }
        }
    }
}
