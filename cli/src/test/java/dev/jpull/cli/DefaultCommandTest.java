package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.cli.startup.DefaultCommand;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultCommandTest {

    @Test
    void bareImageBecomesAPull() {
        assertThat(Main.withDefaultCommand(new String[] {"172.31.6.200:5000/library/alpine"}))
                .containsExactly("pull", "172.31.6.200:5000/library/alpine");
    }

    @Test
    void optionsBeforeTheImageStillMakeAPull() {
        assertThat(Main.withDefaultCommand(new String[] {"--config", "f.yaml", "-o", "json", "alpine"}))
                .containsExactly("pull", "--config", "f.yaml", "-o", "json", "alpine");
    }

    @Test
    void namedCommandsAreLeftAlone() {
        assertThat(Main.withDefaultCommand(new String[] {"resolve", "alpine"})).containsExactly("resolve", "alpine");
        assertThat(Main.withDefaultCommand(new String[] {"help", "pull"})).containsExactly("help", "pull");
        assertThat(Main.withDefaultCommand(new String[] {"pull", "alpine"})).containsExactly("pull", "alpine");
    }

    @Test
    void commandNamedAfterOptionsMovesToTheFront() {
        assertThat(Main.withDefaultCommand(new String[] {"-c", "f.yaml", "resolve", "-o", "json", "alpine"}))
                .containsExactly("resolve", "-c", "f.yaml", "-o", "json", "alpine");
    }

    @Test
    void argumentsAfterDoubleDashAreImages() {
        assertThat(Main.withDefaultCommand(new String[] {"--", "pull"})).containsExactly("pull", "--", "pull");
    }

    @Test
    void commandLinesWithoutPositionalAreLeftToTheTopLevel() {
        assertThat(Main.withDefaultCommand(new String[] {"--version"})).containsExactly("--version");
        assertThat(Main.withDefaultCommand(new String[] {"-h"})).containsExactly("-h");
        assertThat(Main.withDefaultCommand(new String[0])).isEmpty();
    }

    /** An option's value is never taken for a command, whatever its word (issue 9: --store images, -c config). */
    @Test
    void optionValuesThatAreCommandNamesStayValues() {
        assertThat(Main.withDefaultCommand(new String[] {"--store", "images", "127.0.0.1:5000/library/alpine"}))
                .containsExactly("pull", "--store", "images", "127.0.0.1:5000/library/alpine");
        assertThat(Main.withDefaultCommand(new String[] {"-c", "config", "alpine"}))
                .containsExactly("pull", "-c", "config", "alpine");
        assertThat(Main.withDefaultCommand(new String[] {"-qo", "json", "--store", "rmi", "images"}))
                .as("a cluster ending in an option with a value").containsExactly("images", "-qo", "json", "--store",
                        "rmi");
        assertThat(Main.withDefaultCommand(new String[] {"-c", "help", "resolve", "alpine"}))
                .containsExactly("resolve", "-c", "help", "alpine");
        assertThat(Main.withDefaultCommand(new String[] {"--store=images", "alpine"}))
                .containsExactly("pull", "--store=images", "alpine");
    }

    @Test
    void aNearMissOfACommandIsATypo() {
        assertThat(DefaultCommand.of(new String[] {"imagse"}).error())
                .isEqualTo("unknown command 'imagse'; did you mean 'images'?");
        assertThat(DefaultCommand.of(new String[] {"--store", "/s", "reslove", "alpine"}).error())
                .isEqualTo("unknown command 'reslove'; did you mean 'resolve'?");
        assertThat(DefaultCommand.of(new String[] {"diagnsoe", "alpine"}).error()).contains("'diagnose'");
        assertThat(DefaultCommand.of(new String[] {"verfy"}).error()).contains("'verify'");
        assertThat(DefaultCommand.of(new String[] {"pul", "alpine"}).error()).contains("'pull'");
        assertThat(DefaultCommand.of(new String[] {"rmii", "alpine"}).error()).contains("'rmi'");
        assertThat(DefaultCommand.of(new String[] {"imagse"}).args()).isNull();
    }

    /** A word with / : . or @ is an image reference; a bare word far from every command pulls (crictl habit). */
    @Test
    void referencesAndFarWordsArePulls() {
        for (String ref : new String[] {"alpine", "busybox", "nginx", "perl", "rust", "library/images", "images:1", "imagse:1",
            "reg.io/imagse", "imagse@sha256:" + "0".repeat(64), "127.0.0.1:5000/library/alpine"}) {
            assertThat(DefaultCommand.of(new String[] {ref}).error()).as(ref).isNull();
            assertThat(Main.withDefaultCommand(new String[] {ref})).as(ref).containsExactly("pull", ref);
        }
        assertThat(Main.withDefaultCommand(new String[] {"--", "imagse"})).as("after --, an operand")
                .containsExactly("pull", "--", "imagse");
    }

    @Test
    void editDistanceIsLevenshtein() {
        assertThat(DefaultCommand.distance("imagse", "images")).isEqualTo(2);
        assertThat(DefaultCommand.distance("inspcet", "inspect")).isEqualTo(2);
        assertThat(DefaultCommand.distance("", "rmi")).isEqualTo(3);
        assertThat(DefaultCommand.distance("perl", "pull")).isEqualTo(2);
        assertThat(DefaultCommand.distance("alpine", "pull")).isGreaterThan(2);
    }

    /** Through Main: exit 2, the did-you-mean line on stderr, nothing pulled. */
    @Test
    void mainReportsTheTypoWithExitTwo(@TempDir Path home) {
        CliRun r = CliRun.run(home, "imagse");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("jpull: unknown command 'imagse'; did you mean 'images'?",
                "Try 'jpull --help' for more information.");
        assertThat(r.out()).isEmpty();
        assertThat(home.resolve("store")).doesNotExist();
        assertThat(home.resolve(".local/share/jpull")).doesNotExist();
    }
}
