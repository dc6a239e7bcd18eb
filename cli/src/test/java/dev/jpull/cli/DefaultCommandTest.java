package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
}
