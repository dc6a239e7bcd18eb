package dev.jpull.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpull.cli.CliRun;
import dev.jpull.testdata.ClosedPort;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code digest}, {@code inspect} and {@code tags} without a registry: every endpoint refused gives exit 1 and, with
 * {@code -o json}, still one JSON object with the error and the attempts; bad input exits 2.
 */
class QueryCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @Test
    void everyEndpointRefusedIsExitOneWithAJsonFailure() throws Exception {
        ClosedPort closed = ClosedPort.allocate();
        String image = closed.hostPort() + "/team/app:1.0";
        for (String[] command : new String[][] {{"digest", image}, {"inspect", image}, {"inspect", "--raw", image},
            {"tags", closed.hostPort() + "/team/app"}}) {
            String[] args = new String[command.length + 3];
            System.arraycopy(command, 0, args, 0, 1);
            args[1] = "-o";
            args[2] = "json";
            args[3] = "--no-memory";
            System.arraycopy(command, 1, args, 4, command.length - 1);
            if (command.length == 3) { // --raw goes without -o json
                args = new String[] {"inspect", "--no-memory", "--raw", image};
            }
            CliRun r = CliRun.run(home, args);
            assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(1);
            assertThat(r.err()).contains("refused").contains(closed.hostPort());
            if (args[1].equals("-o")) {
                JsonNode out = JSON.readTree(r.out());
                assertThat(out.path("error").asText()).contains("refused");
                assertThat(out.path("attempts").get(0).path("outcome").asText()).isEqualTo("refused");
                assertThat(out.path("reference").asText()).startsWith(closed.hostPort() + "/team/app");
            } else {
                assertThat(r.out()).isEmpty();
            }
        }
    }

    @Test
    void badInputIsExitTwo() {
        assertThat(CliRun.run(home, "inspect", "--raw", "--raw-config", "alpine").exitCode()).isEqualTo(2);
        assertThat(CliRun.run(home, "inspect", "--raw", "-o", "json", "alpine").exitCode()).isEqualTo(2);
        assertThat(CliRun.run(home, "tags", "127.0.0.1:1/team/app:1.0").exitCode()).isEqualTo(2);
        assertThat(CliRun.run(home, "tags", "--page-size", "-1", "127.0.0.1:1/team/app").exitCode()).isEqualTo(2);
        assertThat(CliRun.run(home, "digest", "--platform", "linux", "127.0.0.1:1/team/app").exitCode())
                .isEqualTo(2);
        assertThat(CliRun.run(home, "digest", "127.0.0.1:1/Team/App").exitCode()).isEqualTo(2);
    }

    @Test
    void inspectStoreOfAnImageNotPulledIsExitOneWithoutNetwork() {
        CliRun r = CliRun.run(home, "inspect", "--store", home.resolve("store").toString(), "10.0.0.1:5000/a/b:1");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains("not in the store: 10.0.0.1:5000/a/b:1");
    }
}
