package dev.jpull.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.cli.option.Env;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;

/**
 * The help as a person reads it: no line over 80 columns, no path, file name or command cut in two at a {@code .},
 * {@code /} or {@code :} ({@code ~/.} / {@code local/share/jpull/store} was), and each command summarised in the
 * command list by a whole sentence (the completion line was cut mid-sentence).
 */
class HelpTextTest {
    private static CommandLine jpull() {
        return JpullCommand.commandLine(Env.of(Map.of(), Path.of("/home")), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), false);
    }

    private static List<CommandLine> allCommands() {
        List<CommandLine> all = new ArrayList<>();
        List<CommandLine> todo = new ArrayList<>(List.of(jpull()));
        while (!todo.isEmpty()) {
            CommandLine c = todo.remove(0);
            all.add(c);
            todo.addAll(c.getSubcommands().values());
        }
        return all;
    }

    @Test
    void everyWordWithAPathCharacterStaysOnOneLine() {
        int checked = 0;
        for (CommandLine c : allCommands()) {
            String help = c.getUsageMessage();
            List<String> lines = help.lines().map(String::strip).toList();
            List<String> texts = new ArrayList<>(List.of(c.getCommandSpec().usageMessage().description()));
            for (ArgSpec a : c.getCommandSpec().args()) {
                texts.addAll(List.of(a.description()));
            }
            for (String text : texts) {
                for (String word : text.split("\\s+")) {
                    String w = word.replaceAll("[.,;)]+$", "").replaceAll("^[(`\"]+", "");
                    if (w.matches(".*[./:].*[^./:].*") && !w.contains("${") && !w.contains("%")) {
                        assertThat(lines).as(c.getCommandSpec().qualifiedName() + " help: " + w)
                                .anyMatch(l -> l.contains(w));
                        checked++;
                    }
                }
            }
            assertThat(help.lines()).as(c.getCommandSpec().qualifiedName())
                    .allMatch(l -> l.length() <= 80, "at most 80 columns");
        }
        assertThat(checked).isGreaterThan(50);
        assertThat(jpull().getSubcommands().get("pull").getUsageMessage()).contains("~/.local/share/jpull/store")
                .contains("hosts.toml");
    }

    @Test
    void theCommandListSummarisesEachCommandInWholeSentences() {
        String help = jpull().getUsageMessage();
        String list = help.substring(help.indexOf("Commands:"), help.indexOf("Exit codes:"));
        List<String> entries = new ArrayList<>();
        for (String line : list.lines().skip(1).toList()) {
            if (line.startsWith("  ") && !line.startsWith("   ")) {
                entries.add(line.strip());
            } else if (!line.isBlank()) {
                entries.set(entries.size() - 1, entries.get(entries.size() - 1) + " " + line.strip());
            }
        }
        assertThat(entries).hasSizeGreaterThan(10).allSatisfy(e -> assertThat(e).endsWith("."));
        assertThat(entries).anyMatch(e -> e.startsWith("completion") && e.contains("(bash or zsh) on stdout."));
    }
}
