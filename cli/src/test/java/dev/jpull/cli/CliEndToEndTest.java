package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
}
