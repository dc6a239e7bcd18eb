package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.testdata.ClosedPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that stores nothing leaves no store directory behind: the store commands on a store that does not exist
 * answer as for an empty one, and a pull creates the store only when it has a blob to write (not when a
 * configuration error or dead endpoints stop it first).
 */
class NoStoreCreatedTest {
    @TempDir
    Path tmp;

    private Path store() {
        return tmp.resolve("store"); // CliRun's JPULL_STORE
    }

    @Test
    void storeCommandsOnAMissingStoreAnswerAsForAnEmptyOneAndCreateNothing() {
        record Case(List<String> args, int exit, String err) {
        }
        List<Case> cases = List.of(
                new Case(List.of("images"), 0, ""),
                new Case(List.of("images", "alpine"), 0, ""),
                new Case(List.of("images", "-q"), 0, ""),
                new Case(List.of("images", "Bad:Ref:"), 2, "jpull: invalid reference"),
                new Case(List.of("rmi", "alpine"), 1, "jpull: no such image: docker.io/library/alpine:latest"),
                new Case(List.of("rmi", "Bad:Ref:"), 2, "jpull: invalid reference"),
                new Case(List.of("rmi", "--prune"), 0, ""),
                new Case(List.of("save", "-o", tmp.resolve("a.tar").toString(), "alpine"), 1,
                        "jpull: not in the store: docker.io/library/alpine:latest (pull it first)"),
                new Case(List.of("verify"), 0, ""),
                new Case(List.of("verify", "alpine"), 1, "jpull: not in the store: docker.io/library/alpine:latest"),
                new Case(List.of("prune"), 0, ""));
        for (Case c : cases) {
            CliRun r = CliRun.run(tmp, c.args().toArray(String[]::new));

            assertThat(r.exitCode()).as(c.args() + ": " + r.err()).isEqualTo(c.exit());
            assertThat(r.err()).as(c.args().toString()).startsWith(c.err());
            assertThat(store()).as(c.args() + " created the store").doesNotExist();
        }
        assertThat(tmp.resolve("a.tar")).doesNotExist();
    }

    @Test
    void aPullThatFailsBeforeItHasAnythingToStoreCreatesNoStore() throws Exception {
        CliRun r = CliRun.run(tmp, "pull", ClosedPort.allocate().hostPort() + "/library/alpine:1");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(store()).doesNotExist();

        Path yaml = Files.writeString(tmp.resolve("r.yaml"), "configs:\n  \"127.0.0.1:1\":\n    tls:\n"
                + "      ca_file: " + tmp.resolve("missing-ca.crt") + "\n");
        CliRun config = CliRun.run(tmp, "pull", "-c", yaml.toString(), "127.0.0.1:1/library/alpine:1");
        assertThat(config.exitCode()).as(config.err()).isNotZero();
        assertThat(store()).doesNotExist();
    }
}
