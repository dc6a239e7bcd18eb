package dev.jpull.cli.startup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.cli.command.JpullCommand;
import dev.jpull.cli.option.Env;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The start-up table is picocli's model of jpull: same command names, same options with a value. */
class ArgumentTableTest {
    private static final CommandLine JPULL = JpullCommand.commandLine(Env.of(Map.of(), Path.of("/home")),
            new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false);

    @Test
    void commandsAreExactlyPicocliSubcommands() {
        assertThat(ArgumentTable.COMMANDS).containsExactlyInAnyOrderElementsOf(JPULL.getSubcommands().keySet());
        assertThat(ArgumentTable.COMMANDS).isSorted().contains("verify", "help");
        for (String c : JPULL.getSubcommands().keySet()) {
            assertThat(ArgumentTable.isCommand(c)).as(c).isTrue();
        }
        assertThat(ArgumentTable.isCommand("alpine")).isFalse();
    }

    /** Every option of every command (nested ones too) that takes a value is in the table, and no other. */
    @Test
    void optionsWithAValueAreExactlyPicocliOptionsWithAValue() {
        Map<String, Boolean> takesValue = new HashMap<>();
        List<String> conflicts = new ArrayList<>();
        Set<String> optional = new HashSet<>();
        walk(JPULL, takesValue, conflicts, optional);

        Set<String> withValue = new HashSet<>();
        takesValue.forEach((name, value) -> {
            if (value && !optional.contains(name)) {
                withValue.add(name);
            }
        });
        assertThat(ArgumentTable.OPTIONS_WITH_OPTIONAL_VALUE).containsExactlyInAnyOrderElementsOf(optional);
        assertThat(conflicts).as("an option that takes a value in one command and none in another").isEmpty();
        assertThat(ArgumentTable.OPTIONS_WITH_VALUE).containsExactlyInAnyOrderElementsOf(withValue);
        assertThat(withValue).contains("--store", "-c", "--output-dir", "--concurrency");
        assertThat(takesValue).containsEntry("--verify", false).containsEntry("-q", false);
    }

    @Test
    void takesNextArgumentFollowsTheTable() {
        assertThat(ArgumentTable.takesNextArgument("--store")).isTrue();
        assertThat(ArgumentTable.takesNextArgument("--store=x")).isFalse();
        assertThat(ArgumentTable.takesNextArgument("-c")).isTrue();
        assertThat(ArgumentTable.takesNextArgument("-qo")).isTrue();
        assertThat(ArgumentTable.takesNextArgument("-ojson")).isFalse();
        assertThat(ArgumentTable.takesNextArgument("-q")).isFalse();
        assertThat(ArgumentTable.takesNextArgument("--verify")).isFalse();
        assertThat(ArgumentTable.takesNextArgument("--")).isFalse();
        assertThat(ArgumentTable.takesNextArgument("alpine")).isFalse();
        assertThat(ArgumentTable.takesNextArgument("--containerd", "/run/containerd/containerd.sock")).isTrue();
        assertThat(ArgumentTable.takesNextArgument("--containerd", "alpine")).isFalse();
        assertThat(ArgumentTable.takesNextArgument("--containerd", null)).isFalse();
    }

    private static void walk(CommandLine cmd, Map<String, Boolean> takesValue, List<String> conflicts,
                             Set<String> optional) {
        for (OptionSpec o : cmd.getCommandSpec().options()) {
            boolean value = o.arity().max() > 0;
            if (value && o.arity().min() == 0) {
                optional.addAll(List.of(o.names()));
            }
            for (String name : o.names()) {
                Boolean before = takesValue.put(name, value);
                if (before != null && before != value) {
                    conflicts.add(cmd.getCommandName() + " " + name);
                }
            }
        }
        for (CommandLine sub : cmd.getSubcommands().values()) {
            walk(sub, takesValue, conflicts, optional);
        }
    }
}
