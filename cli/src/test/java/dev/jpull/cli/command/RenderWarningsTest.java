package dev.jpull.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code config render} names each warning's file:line:column once (issue 12, point 4). */
class RenderWarningsTest {
    @TempDir
    Path home;

    @Test
    void invalidEndpointWarningIsLocatedOnce() throws Exception {
        Path yaml = Files.writeString(home.resolve("registries.yaml"),
                "mirrors:\n  docker.io:\n    endpoint:\n      - htp://mirror.example.com:5000\n");
        CliRun r = CliRun.run(home, "config", "render", "-c", yaml.toString(), "--output-dir",
                home.resolve("out").toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).contains("jpull: warning: " + yaml + ":4:9: mirrors.\"docker.io\": ignoring invalid "
                + "endpoint \"htp://mirror.example.com:5000\": unsupported scheme 'htp' (use http or https); did "
                + "you mean 'http'?").doesNotContain(yaml + ": " + yaml);
    }
}
