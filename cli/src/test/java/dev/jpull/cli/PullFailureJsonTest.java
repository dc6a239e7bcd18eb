package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpull.testdata.ClosedPort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pull -o json} of a pull that fails still prints one JSON object: the error and every attempt. */
class PullFailureJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void aFailedPullPrintsOneObjectWithTheErrorAndEveryAttemptAndStillExitsOne() throws IOException {
        ClosedPort registry = ClosedPort.allocate();
        ClosedPort mirror = ClosedPort.allocate();
        Path config = tmp.resolve("registries.yaml");
        Files.writeString(config, "mirrors:\n  \"" + registry.hostPort() + "\":\n    endpoint:\n"
                + "      - \"http://" + mirror.hostPort() + "\"\n");
        String ref = registry.hostPort() + "/library/app:1.0";

        CliRun r = CliRun.run(tmp, "pull", "-o", "json", "-c", config.toString(), ref);

        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(JSON.readerFor(JsonNode.class).readValues(r.out()).readAll())
                .as("one object and nothing else on stdout").hasSize(1);
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.isObject()).isTrue();
        assertThat(root.path("reference").asText()).isEqualTo(ref);
        String[] err = r.errLines();
        assertThat("jpull: " + root.path("error").asText()).isEqualTo(err[err.length - 1]);
        assertThat(root.path("error").asText()).endsWith("run 'jpull diagnose " + ref + "' to probe each endpoint");
        JsonNode attempts = root.path("attempts");
        assertThat(attempts).hasSize(2);
        assertThat(attempts).extracting(a -> a.path("endpoint").asText())
                .containsExactly("http://" + mirror.hostPort() + "/v2", "http://" + registry.hostPort() + "/v2");
        for (JsonNode a : attempts) {
            assertThat(a.path("target").asText()).isEqualTo("manifest 1.0");
            assertThat(a.path("outcome").asText()).isEqualTo("refused");
            assertThat(a.path("status").asInt()).isZero();
            assertThat(a.path("error").asText()).startsWith("connection refused: nothing listens on 127.0.0.1:");
            assertThat(a.has("durationMs")).isTrue();
        }
        assertThat(((ObjectNode) root).fieldNames()).toIterable()
                .containsExactly("reference", "error", "attempts", "durationMs", "destination");
    }

    @Test
    void withQuietTheObjectStillListsEveryAttempt() throws IOException {
        ClosedPort registry = ClosedPort.allocate();

        CliRun r = CliRun.run(tmp, "pull", "-q", "-o", "json", registry.hostPort() + "/library/app:1.0");

        assertThat(r.exitCode()).isEqualTo(1);
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.path("attempts")).hasSize(1);
        assertThat(root.path("attempts").get(0).path("outcome").asText()).isEqualTo("refused");
        assertThat(r.errLines()).hasSize(1);
    }
}
