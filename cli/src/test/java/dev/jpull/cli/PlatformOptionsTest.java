package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.cli.command.PullCommand;
import dev.jpull.cli.command.PullRequest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code pull --platform} repeated and {@code --all-platforms}: what the pull is asked for, and what is refused. */
class PlatformOptionsTest {
    @TempDir
    Path tmp;

    private static PullRequest request(String... args) {
        return CommandLine.populateCommand(new PullCommand(), args).request();
    }

    @Test
    void repeatedPlatformsAndAllPlatformsReachThePull() {
        assertThat(request("--platform", "linux/arm64", "--platform", "linux/arm/v7", "alpine").platforms())
                .isEqualTo(new PullRequest.Platforms(List.of("linux/arm64", "linux/arm/v7"), false));
        assertThat(request("--all-platforms", "alpine").platforms())
                .isEqualTo(new PullRequest.Platforms(List.of(), true));
        PullRequest one = request("--platform", "linux/arm64", "alpine");
        assertThat(one.platforms()).isEqualTo(PullRequest.Platforms.ONE);
        assertThat(one.options().platform()).isEqualTo("linux/arm64");
        assertThat(request("alpine").platforms()).isEqualTo(PullRequest.Platforms.ONE);
    }

    @Test
    void allPlatformsWithPlatformAndSeveralPlatformsElsewhereAreUsageErrors() {
        CliRun both = CliRun.run(tmp, "pull", "--all-platforms", "--platform", "linux/arm64",
                "127.0.0.1:1/a:1");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("--all-platforms and --platform cannot be used together");
        CliRun resolve = CliRun.run(tmp, "resolve", "--platform", "linux/arm64", "--platform", "linux/amd64",
                "127.0.0.1:1/a:1");
        assertThat(resolve.exitCode()).isEqualTo(2);
        assertThat(resolve.err()).contains("--platform given 2 times: only pull takes several");
        CliRun bad = CliRun.run(tmp, "pull", "--platform", "linux/arm64", "--platform", "nonsense",
                "127.0.0.1:1/a:1");
        assertThat(bad.exitCode()).isEqualTo(2);
    }
}
