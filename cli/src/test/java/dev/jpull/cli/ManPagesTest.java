package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The man pages generated from the picocli model document every command and every option. */
class ManPagesTest {
    @TempDir
    Path tmp;

    @Test
    void theTopLevelPageListsEverySubcommandAndEachHasItsOwnPageWithAllItsOptions() throws IOException {
        ManPages.generate(tmp);
        String top = Files.readString(tmp.resolve("jpull.adoc"));
        assertThat(top).contains(":doctype: manpage").contains("= jpull(1)").contains("== Commands");

        Map<String, CommandLine> subcommands = ManPages.model().getSubcommands();
        assertThat(subcommands).containsKeys("pull", "resolve", "completion", "help", "digest", "inspect",
                "tags");
        for (Map.Entry<String, CommandLine> e : subcommands.entrySet()) {
            assertThat(top).as("jpull.adoc").contains("xref:jpull-" + e.getKey() + ".adoc[*" + e.getKey() + "*]");
            Path page = tmp.resolve("jpull-" + e.getKey() + ".adoc");
            assertThat(page).exists();
            String text = Files.readString(page);
            assertThat(text).contains("= jpull-" + e.getKey() + "(1)");
            for (OptionSpec option : e.getValue().getCommandSpec().options()) {
                assertThat(text).as(page + " documents " + option.longestName()).contains(option.longestName());
            }
        }
        assertThat(Files.readString(tmp.resolve("jpull-pull.adoc"))).contains("*-q*, *--quiet*")
                .contains("*--debug*");
        assertThat(ManPages.topLevelPage()).contains("== Commands").contains("*pull*");
    }

    @Test
    void theBuildGeneratedThePagesIntoTarget() throws IOException {
        // written by the exec-maven-plugin step of cli/pom.xml (phase process-test-classes, before the tests)
        Path built = Path.of("target", "man", "jpull.adoc");
        assertThat(built).as("run the Maven build (mvn test) to generate it").exists();
        ManPages.generate(tmp);
        assertThat(Files.readString(built)).isEqualTo(Files.readString(tmp.resolve("jpull.adoc")));
    }
}
