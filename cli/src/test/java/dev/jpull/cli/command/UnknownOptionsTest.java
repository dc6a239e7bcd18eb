package dev.jpull.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.cli.CliRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An unknown option is named, with a near miss or where jpull takes that setting, never an absurd suggestion. */
class UnknownOptionsTest {
    @TempDir
    Path tmp;

    @Test
    void tlsVerifyIsAnsweredWithWhereJpullSetsTlsNotWithTlsTimeout() {
        for (String[] args : new String[][] {{"pull", "--tls-verify=false", "alpine"}, {"--tls-verify=false",
            "alpine"}, {"pull", "--insecure", "alpine"}}) {
            CliRun r = CliRun.run(tmp, args);

            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.errLines()).containsExactly("jpull: Unknown option: '" + args[args.length - 2] + "'",
                    "jpull: TLS is set per registry in registries.yaml: configs.\"HOST\".tls.insecure_skip_verify: "
                            + "true (or tls.ca_file to trust its CA); plain http is an http:// endpoint",
                    "Try 'jpull pull --help' for more information.");
            assertThat(r.err()).doesNotContain("--tls-timeout").doesNotContain("Possible solutions");
        }
    }

    @Test
    void aNearMissOfTheCommandsOwnOptionIsSuggested() {
        CliRun r = CliRun.run(tmp, "images", "--stor", "x");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).contains("jpull: did you mean '--store'?");

        CliRun timeout = CliRun.run(tmp, "pull", "--tls-timout=5s", "alpine");
        assertThat(timeout.errLines()).contains("jpull: did you mean '--tls-timeout'?");
    }

    @Test
    void anOptionFarFromEveryNameGetsNoSuggestion() {
        CliRun r = CliRun.run(tmp, "pull", "--bogus", "alpine");
        assertThat(r.errLines()).containsExactly("jpull: Unknown option: '--bogus'",
                "Try 'jpull pull --help' for more information.");
        CliRun platform = CliRun.run(tmp, "pull", "--arch=arm64", "alpine");
        assertThat(platform.errLines()).contains("jpull: the platform is --platform OS/ARCH[/VARIANT]");
    }
}
