package dev.jpull.cli.command;

import dev.jpull.cli.option.Env;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.cli.CliRun;
import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.MediaTypes;
import dev.jpull.internal.store.OciStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command-line handling of save, images and rmi (the archive itself is tested in the client module). */
class SaveCommandTest {
    @TempDir
    Path tmp;

    /** A store with one image: a config and a manifest with no layers. */
    private Path storeWithImage(String ref) {
        Path dir = tmp.resolve("store");
        OciStore store = OciStore.open(dir);
        byte[] config = "{\"architecture\":\"arm64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        store.writeBlob(Digests.sha256(config), config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{"
                + "\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + Digests.sha256(config)
                + "\",\"size\":" + config.length + "},\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
        store.writeBlob(Digests.sha256(manifest), manifest);
        store.tag(ref, Descriptor.of(MediaTypes.OCI_MANIFEST, Digests.sha256(manifest), manifest.length));
        return dir;
    }

    @Test
    void saveNeedsAnOutputFileAndAnImage() {
        CliRun noOutput = CliRun.run(tmp, "save", "alpine");
        assertThat(noOutput.exitCode()).isEqualTo(2);
        assertThat(noOutput.err()).contains("Missing required option: '--output=FILE'");

        CliRun noImage = CliRun.run(tmp, "save", "-o", tmp.resolve("x.tar").toString());
        assertThat(noImage.exitCode()).isEqualTo(2);
        assertThat(noImage.err()).contains("IMAGE");
    }

    @Test
    void saveOfAnImageNotInTheStoreExitsOne() {
        CliRun r = CliRun.run(tmp, "save", "-o", tmp.resolve("x.tar").toString(), "alpine");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip())
                .isEqualTo("jpull: not in the store: docker.io/library/alpine:latest (pull it first)");
        assertThat(r.out()).isEmpty();
        assertThat(tmp.resolve("x.tar")).doesNotExist();
    }

    @Test
    void saveWritesTheArchiveAndNamesWhatItSaved() {
        Path store = storeWithImage("docker.io/library/alpine:latest");
        Path out = tmp.resolve("a.tar");

        CliRun r = CliRun.run(tmp, "--store", store.toString(), "save", "alpine", "--output", out.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("Saved: docker.io/library/alpine:latest");
        assertThat(out).isRegularFile();
    }

    @Test
    void saveToDashWritesTheSameArchiveToStdoutAndNamesWhatItSavedOnStderr() throws Exception {
        Path store = storeWithImage("docker.io/library/alpine:latest");
        Path file = tmp.resolve("a.tar");
        assertThat(CliRun.run(tmp, "--store", store.toString(), "save", "alpine", "-o", file.toString()).exitCode())
                .isZero();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();

        int code = dev.jpull.cli.Main.run(new String[] {"save", "--store", store.toString(), "-o", "-", "alpine"},
                new java.io.PrintStream(out, true), new java.io.PrintStream(err, true),
                Env.of(java.util.Map.of(), tmp));

        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toByteArray()).isEqualTo(java.nio.file.Files.readAllBytes(file));
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("Saved: docker.io/library/alpine:latest\n");
        assertThat(tmp.resolve("-")).doesNotExist();
    }

    @Test
    void saveToDashOfAnImageNotInTheStoreWritesNothing() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int code = dev.jpull.cli.Main.run(new String[] {"save", "--store", tmp.resolve("s").toString(), "-o", "-",
            "alpine"}, new java.io.PrintStream(out, true), new java.io.PrintStream(new java.io.ByteArrayOutputStream()),
                Env.of(java.util.Map.of(), tmp));
        assertThat(code).isEqualTo(1);
        assertThat(out.size()).isZero();
    }

    @Test
    void imagesUsesTheStoreFromTheEnvironmentAndQuietPrintsIds() {
        Path store = storeWithImage("docker.io/library/alpine:latest");
        CliRun env = CliRun.run(dev.jpull.cli.option.Env.of(java.util.Map.of("JPULL_STORE", store.toString()), tmp),
                "images");
        assertThat(env.exitCode()).as(env.err()).isZero();
        assertThat(env.out().lines()).hasSize(2);
        assertThat(env.out().lines().skip(1).findFirst().orElseThrow())
                .startsWith("docker.io/library/alpine:latest").contains("linux/arm64");

        CliRun quiet = CliRun.run(tmp, "images", "--store", store.toString(), "-q");
        assertThat(quiet.out().lines()).singleElement().asString().startsWith("sha256:");
    }

    @Test
    void rmiDeletesAndReportsUnknownImagesWithExitOne() {
        Path store = storeWithImage("docker.io/library/alpine:latest");

        CliRun r = CliRun.run(tmp, "rmi", "--store", store.toString(), "nope", "alpine");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out().lines()).containsExactly("Deleted: docker.io/library/alpine:latest");
        assertThat(r.err().strip()).isEqualTo("jpull: no such image: docker.io/library/nope:latest");
        assertThat(OciStore.open(store).references()).isEmpty();
    }

    @Test
    void rmiOfAMalformedReferenceIsAUsageError() {
        CliRun r = CliRun.run(tmp, "rmi", "Bad:Ref:");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("jpull: invalid reference");
    }

    @Test
    void theNewCommandsAreListedInHelp() {
        CliRun r = CliRun.run(tmp, "--help");
        assertThat(r.out()).contains("save").contains("images").contains("rmi");
    }
}
