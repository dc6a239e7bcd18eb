package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.cli.option.Env;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path home;

    @Test
    void versionPrintsJpullAndTheProjectVersion() {
        CliRun r = CliRun.run(home, "--version");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).matches("jpull \\d+\\.\\d+\\.\\d+\\S*\\R");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void theVersionShortcutPrintsWhatPicocliPrints() {
        CliRun fast = CliRun.run(home, "-V");
        StringWriter viaPicocli = new StringWriter();
        int code = Main.commandLine(Env.of(Map.of(), home), new PrintWriter(viaPicocli), new PrintWriter(new StringWriter()))
                .execute("--version");

        assertThat(code).isZero();
        assertThat(fast.exitCode()).isZero();
        assertThat(fast.out()).isEqualTo(viaPicocli.toString());
    }

    @Test
    void helpListsPullAndResolve() {
        CliRun r = CliRun.run(home, "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage:").containsPattern("(?m)^  pull  ").containsPattern("(?m)^  resolve ");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void helpCommandShowsTheOptionsOfASubcommand() {
        CliRun r = CliRun.run(home, "help", "pull");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("Usage: jpull pull")
                .contains("--config", "--store", "--platform", "--output", "--disable-default-endpoint",
                        "--connect-timeout", "--header-timeout", "--read-timeout");
    }

    @Test
    void unknownOptionIsAOneLineUsageErrorWithoutStackTrace() {
        CliRun r = CliRun.run(home, "pull", "--bogus", "alpine");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()[0]).isEqualTo("jpull: Unknown option: '--bogus'");
        assertThat(r.err()).contains("Try 'jpull pull --help'").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void unknownTopLevelOptionIsAUsageError() {
        CliRun r = CliRun.run(home, "--bogus");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(2);
        assertThat(r.errLines()[1]).isEqualTo("Try 'jpull --help' for more information.");
    }

    @Test
    void badOutputValueIsAUsageError() {
        CliRun r = CliRun.run(home, "resolve", "-o", "yaml", "alpine");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()[0]).startsWith("jpull: Invalid value for option '--output': 'yaml'")
                .contains("text or json");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void badPlatformAndDurationAreUsageErrors() {
        assertThat(CliRun.run(home, "pull", "--platform", "amd64", "alpine").exitCode()).isEqualTo(2);
        CliRun r = CliRun.run(home, "pull", "--read-timeout", "5", "alpine");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()[0]).contains("--read-timeout").contains("'5' is not a duration");
    }

    @Test
    void missingImageIsAUsageError() {
        CliRun r = CliRun.run(home, "resolve");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()[0]).isEqualTo("jpull: Missing required parameter: 'IMAGE'");
    }

    @Test
    void noArgumentsIsAUsageError() {
        CliRun r = CliRun.run(home);

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()[0]).isEqualTo("jpull: missing IMAGE or COMMAND");
    }

    @Test
    void imageWithoutCommandIsParsedByPull() {
        // the option error names the pull command: the command line went to pull
        CliRun r = CliRun.run(home, "--platform", "amd64", "172.31.6.200:5000/library/alpine");

        assertThat(r.exitCode()).isEqualTo(2);
        // --platform is repeatable (pull takes several), so picocli names the value's label too
        assertThat(r.errLines()[0]).startsWith("jpull: Invalid value for option '--platform' (OS/ARCH[/VARIANT]): "
                + "'amd64' is not a platform");
        assertThat(r.err()).contains("Try 'jpull pull --help'");
    }

    @Test
    void resolveOfAMalformedReferenceIsAUsageError() {
        CliRun r = CliRun.run(home, "resolve", "docker.io/library/ALPINE");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines()[0]).startsWith("jpull: invalid reference \"docker.io/library/ALPINE\"");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void imageWithoutCommandPullsAndReportsAMalformedReference() {
        CliRun r = CliRun.run(home, "-o", "json", "docker.io/library/ALPINE");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines()[0]).startsWith("jpull: invalid reference \"docker.io/library/ALPINE\"");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void unreadableConfigIsAUsageErrorNamingTheFile() {
        Path missing = home.resolve("missing.yaml");
        CliRun r = CliRun.run(home, "resolve", "-c", missing.toString(), "alpine");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines()[0]).startsWith("jpull: " + missing + ": ");
    }

    @Test
    void configWarningsGoToStderrWithTheirPosition() throws Exception {
        Path config = Files.writeString(home.resolve("registries.yaml"), "mirrors: {}\nunknownkey: 1\n");
        CliRun r = CliRun.run(home, "-c", config.toString(), "resolve", "alpine");

        assertThat(r.exitCode()).isZero();
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines()[0]).startsWith("jpull: warning: " + config + ":2:1: ").contains("unknownkey");
        assertThat(r.out()).contains("https://registry-1.docker.io/v2");
    }

    /**
     * The java launcher resolves every type in the public method signatures of the main class before main runs: a
     * picocli type there loads picocli on FastPull's path too (which exists to avoid it).
     */
    @Test
    void theEntryPointsPublicSignaturesNameNoPicocliType() {
        for (var m : Main.class.getMethods()) {
            if (m.getDeclaringClass() != Main.class) {
                continue;
            }
            assertThat(m.getReturnType().getName()).as(m.toString()).doesNotStartWith("picocli.");
            for (Class<?> p : m.getParameterTypes()) {
                assertThat(p.getName()).as(m.toString()).doesNotStartWith("picocli.");
            }
        }
    }
}
