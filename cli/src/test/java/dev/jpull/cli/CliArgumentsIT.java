package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.RegistryFixture.Mode;
import dev.jpull.testdata.Skopeo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Option values that are command names, run as a user runs them: {@code jpull} in a process whose working
 * directory is {@code tmp}, so that {@code --store images} and {@code -c config} name relative paths.
 */
class CliArgumentsIT {
    @TempDir
    Path tmp;

    Path home;

    record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void home() throws IOException {
        home = Files.createDirectories(tmp.resolve("home"));
    }

    @Test
    void storeNamedImagesIsAPullIntoThatStore() throws Exception {
        try (RegistryFixture reg = RegistryFixture.start(Mode.PLAIN)) {
            String ref = pushed(reg);

            Run r = jpull("--store", "images", ref);

            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("Image is up to date for sha256:");
            assertThat(Files.readString(tmp.resolve("images/index.json"))).contains("library/alpine:1");
            assertThat(home.resolve(".local/share/jpull/store")).doesNotExist();
        }
    }

    @Test
    void configNamedConfigIsReadAsTheConfigFile() throws Exception {
        try (RegistryFixture reg = RegistryFixture.start(Mode.PLAIN)) {
            String ref = pushed(reg);
            Files.writeString(tmp.resolve("config"), "mirrors: {}\nunknownkey: 1\n");

            Run r = jpull("-c", "config", "--store", "s", ref);

            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.err()).contains("jpull: warning: config:2:1:");
            assertThat(r.out()).contains("Image is up to date for sha256:");
        }
    }

    @Test
    void aCommandTypoIsAUsageErrorNotAPull() throws Exception {
        Run r = jpull("imagse");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("jpull: unknown command 'imagse'; did you mean 'images'?\n");
        assertThat(r.out()).isEmpty();
        assertThat(tmp.resolve("home/.local/share/jpull/store")).doesNotExist();
    }

    private String pushed(RegistryFixture reg) throws IOException {
        new ImageGenerator(7).singlePlatform(tmp.resolve("layout"), "img", 1, 1024);
        Skopeo.copyToRegistry(tmp.resolve("layout"), "img", reg, "library/alpine:1");
        return reg.hostPort() + "/library/alpine:1";
    }

    private Run jpull(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("JPULL_") || k.startsWith("XDG_"));
        pb.environment().put("HOME", home.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        var err = new java.util.concurrent.CompletableFuture<String>();
        Thread t = new Thread(() -> {
            try {
                err.complete(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                err.completeExceptionally(e);
            }
        });
        t.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        return new Run(exit, out, err.join());
    }
}
