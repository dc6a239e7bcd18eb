package dev.jpull.cli.option;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.cli.command.JpullCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Each option is declared once: every command that has {@code --store} (or any option) shares its one field. */
class OptionDeclarationsTest {
    /**
     * Names that mean different things in different commands, each declared where its meaning is: {@code -o FORMAT}
     * vs {@code save -o FILE}; {@code --debug}, whose help says what it shows for that command; {@code pull -q} (no
     * stderr) vs {@code images -q} (ids only); {@code config render --disable-default-endpoint} (what is written)
     * vs the plan's (what is tried).
     */
    private static final Set<String> DIFFERENT_PER_COMMAND = Set.of("--output", "--debug", "--quiet",
            "--disable-default-endpoint");

    @Test
    void everyOptionNameIsDeclaredByOneFieldAcrossAllCommands() {
        CommandLine jpull = JpullCommand.commandLine(Env.of(Map.of(), Path.of("/home")),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false);
        Map<String, Set<String>> declarations = new TreeMap<>();
        List<CommandLine> todo = new ArrayList<>(List.of(jpull));
        while (!todo.isEmpty()) {
            CommandLine c = todo.remove(0);
            todo.addAll(c.getSubcommands().values());
            for (OptionSpec o : c.getCommandSpec().options()) {
                if (o.userObject() instanceof Field f && !o.usageHelp() && !o.versionHelp()) {
                    declarations.computeIfAbsent(o.longestName(), k -> new TreeSet<>())
                            .add(f.getDeclaringClass().getName() + "." + f.getName());
                }
            }
        }
        assertThat(declarations).containsKey("--store");
        assertThat(declarations.get("--store")).containsExactly(StoreOption.class.getName() + ".store");
        assertThat(declarations.get("--output")).as("-o FORMAT once, save's -o FILE")
                .containsExactlyInAnyOrder(FormatOption.class.getName() + ".output",
                        "dev.jpull.cli.command.SaveCommand.output");
        Map<String, Set<String>> twice = new TreeMap<>(declarations);
        twice.keySet().removeAll(DIFFERENT_PER_COMMAND);
        twice.values().removeIf(fields -> fields.size() == 1);
        assertThat(twice).as("options declared by more than one field").isEmpty();
    }
}
