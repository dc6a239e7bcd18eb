package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.testdata.ClosedPort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The command-line tool end to end, in process: resolve and its warnings ({@link CliEndToEndIT}: pulls). */
class CliEndToEndTest {

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void resolutionWarningsSuchAsAnInvalidRewriteGoToStderr() throws IOException {
        Path yaml = tmp.resolve("registries.yaml");
        Files.writeString(yaml, "mirrors:\n  docker.io:\n    endpoint: [\"https://m.example.com\"]\n"
                + "    rewrite:\n      \"^(unclosed\": \"x\"\n");

        Run r = run("resolve", "-c", yaml.toString(), "alpine");

        assertThat(r.exit()).isZero();
        assertThat(r.err()).contains("warning").contains("^(unclosed").contains("invalid regular expression");
        assertThat(r.out()).contains("https://m.example.com/v2");
    }

    static Stream<Path> k3sExamples() throws IOException {
        return Files.list(Path.of("..", "testdata", "k3s")).filter(p -> p.toString().endsWith(".yaml")).sorted();
    }

    @ParameterizedTest
    @MethodSource("k3sExamples")
    void resolvePrintsThePlanForEveryK3sExample(Path example) {
        Run r = run("--config", example.toString(), "resolve", "docker.io/rancher/mirrored-pause:3.6");
        if (example.getFileName().toString().endsWith("as-in-docs.yaml")) {
            // the docs' snippet is not valid YAML: one line naming file, line and column, exit 2
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err().strip()).matches("jpull: .*as-in-docs\\.yaml:\\d+:\\d+: .*").doesNotContain("\n");
            return;
        }
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("https://registry-1.docker.io/v2");
        assertThat(r.out().lines().count()).isGreaterThanOrEqualTo(2);
    }

    /**
     * A pull resolves its plan once and prints the plan's warnings once: the file's own (an unknown key) and those
     * of resolving (a duplicate endpoint), nothing de-duplicated after the fact. The endpoint refuses, so the pull
     * fails fast without any registry.
     */
    @Test
    void pullAndDiagnosePrintEachConfigWarningOnce() throws IOException {
        ClosedPort dead = ClosedPort.allocate();
        Path yaml = tmp.resolve("registries.yaml");
        Files.writeString(yaml, "mirrors:\n  \"" + dead.hostPort() + "\":\n    endpoint:\n"
                + "      - \"http://" + dead.hostPort() + "\"\n      - \"http://" + dead.hostPort() + "/v2\"\n"
                + "unknownkey: 1\n");
        String unknown = "jpull: warning: " + yaml + ":6:1: ";
        String duplicate = "jpull: warning: " + yaml + ":5:9: mirrors.\"" + dead.hostPort()
                + "\": skipping duplicate endpoint";
        String image = dead.hostPort() + "/library/nothing:1";

        Run pull = run("pull", "-c", yaml.toString(), "--store", tmp.resolve("s").toString(), image);
        assertThat(pull.exit()).as(pull.err()).isEqualTo(1);
        assertThat(linesStartingWith(pull.err(), unknown)).as(pull.err()).hasSize(1);
        assertThat(linesStartingWith(pull.err(), duplicate)).as(pull.err()).hasSize(1);
        assertThat(linesStartingWith(pull.err(), "jpull: warning: ")).as(pull.err()).hasSize(2);

        Run diagnose = run("diagnose", "-c", yaml.toString(), image);
        assertThat(diagnose.exit()).as(diagnose.err()).isEqualTo(1);
        assertThat(linesStartingWith(diagnose.err(), unknown)).as(diagnose.err()).hasSize(1);
        assertThat(linesStartingWith(diagnose.err(), duplicate)).as(diagnose.err()).hasSize(1);

        Run quiet = run("pull", "-q", "-c", yaml.toString(), "--store", tmp.resolve("s").toString(), image);
        assertThat(quiet.exit()).isEqualTo(1);
        assertThat(quiet.err()).doesNotContain("warning");
    }

    private static java.util.List<String> linesStartingWith(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).toList();
    }
}
