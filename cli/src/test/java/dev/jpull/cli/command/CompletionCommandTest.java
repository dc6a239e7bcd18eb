package dev.jpull.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.cli.CliRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jpull completion bash|zsh}: the script completes commands, options and option values in a real bash. */
class CompletionCommandTest {
    @TempDir
    Path tmp;

    /** What the script offers for {@code line} (completing its last word), one candidate per line. */
    private List<String> complete(Path script, String line) throws IOException, InterruptedException {
        String driver = "source \"$1\" 2>/dev/null\n"
                + "COMP_LINE=\"$2\"; read -ra COMP_WORDS <<< \"$2\"\n"
                + "[[ $2 == *' ' ]] && COMP_WORDS+=('')\n"
                + "COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_POINT=${#2}; COMPREPLY=()\n"
                + "_complete_jpull jpull 2>/dev/null\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Process p = new ProcessBuilder("bash", "-c", driver, "driver", script.toString(), line)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out.lines().filter(s -> !s.isBlank()).toList();
    }

    @Test
    void bashScriptCompletesCommandsOptionsAndValues() throws Exception {
        CliRun r = CliRun.run(tmp, "completion", "bash");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("complete -F _complete_jpull");
        Path script = tmp.resolve("jpull.bash");
        Files.writeString(script, r.out());

        assertThat(complete(script, "jpull pu")).containsExactly("pull");
        assertThat(complete(script, "jpull re")).containsExactly("resolve");
        assertThat(complete(script, "jpull pull --qu")).containsExactly("--quiet");
        assertThat(complete(script, "jpull pull --deb")).containsExactly("--debug");
        assertThat(complete(script, "jpull pull -o ")).containsExactlyInAnyOrder("text", "json");
        assertThat(complete(script, "jpull completion ")).containsExactlyInAnyOrder("bash", "zsh");
        assertThat(complete(script, "jpull dig")).containsExactly("digest");
        assertThat(complete(script, "jpull ins")).containsExactly("inspect");
        assertThat(complete(script, "jpull ta")).containsExactly("tags");
        assertThat(complete(script, "jpull inspect --raw-")).containsExactly("--raw-config");
        assertThat(complete(script, "jpull tags --page")).containsExactly("--page-size");
        assertThat(complete(script, "jpull log")).containsExactlyInAnyOrder("login", "logout");
        assertThat(complete(script, "jpull pull --cre")).containsExactly("--creds");
        assertThat(complete(script, "jpull login --password-")).containsExactly("--password-stdin");
    }

    @Test
    void zshGetsTheScriptThatLoadsBashcompinit() {
        CliRun r = CliRun.run(tmp, "completion", "zsh");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("bashcompinit").contains("complete -F _complete_jpull");
    }

    @Test
    void anUnknownShellIsAUsageError() {
        CliRun r = CliRun.run(tmp, "completion", "fish");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()[0]).startsWith("jpull: Invalid value for positional parameter at index 0 (SHELL)");
    }
}
