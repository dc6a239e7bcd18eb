package dev.jpull.cli.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * picocli's help with lines broken at spaces only. picocli wraps with {@link java.text.BreakIterator}'s line rules,
 * which also break after {@code .}, {@code /} and {@code :}, so a path or a command came out cut in two
 * ({@code ~/.} / {@code local/share/jpull/store}, {@code hosts.} / {@code toml}); here a word longer than a whole
 * line is the only thing still cut. The layout (columns, indents) is picocli's own.
 */
final class JpullHelp extends Help {
    JpullHelp(CommandSpec spec, ColorScheme colorScheme) {
        super(spec, colorScheme);
    }

    @Override
    public Layout createDefaultLayout(List<OptionSpec> options, List<PositionalParamSpec> positionals,
                                      ColorScheme scheme) {
        Layout picocli = super.createDefaultLayout(options, positionals, scheme);
        return new Layout(scheme, SpaceWrapping.like(picocli.textTable(), scheme), picocli.optionRenderer(),
                picocli.parameterRenderer());
    }

    @Override
    public TextTable createTextTable(Map<?, ?> map) {
        TextTable picocli = super.createTextTable(map);
        if (map == null || map.isEmpty()) {
            return picocli;
        }
        TextTable table = SpaceWrapping.like(picocli, colorScheme());
        for (Map.Entry<?, ?> e : map.entrySet()) {
            table.addRowValues(String.valueOf(e.getKey()), e.getValue() == null ? "" : format(e.getValue()));
        }
        return table;
    }

    private static String format(Object value) {
        return value instanceof String s ? String.format(s) : String.valueOf(value);
    }

    @Override
    public String description(Object... params) {
        String[] paragraphs = commandSpec().usageMessage().description();
        int width = commandSpec().usageMessage().width();
        StringBuilder sb = new StringBuilder();
        for (String p : paragraphs) {
            for (String line : String.format(p, params).split("\n", -1)) {
                for (String wrapped : wrap(line, width - 1, width - 1)) {
                    sb.append(wrapped).append(System.lineSeparator());
                }
            }
        }
        return sb.toString();
    }

    /** {@code text} cut at spaces into lines of at most {@code first}, then {@code rest}, characters. */
    static List<String> wrap(String text, int first, int rest) {
        int lead = 0;
        while (lead < text.length() && text.charAt(lead) == ' ') {
            lead++;
        }
        String indent = text.substring(0, lead);
        List<String> lines = new ArrayList<>();
        for (String line : wrapWords(text.substring(lead), first - lead, rest - lead)) {
            lines.add(indent + line);
        }
        return lines;
    }

    private static List<String> wrapWords(String text, int first, int rest) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int limit = first;
        for (String word : text.split(" +")) {
            if (!line.isEmpty() && line.length() + 1 + word.length() > limit) {
                lines.add(line.toString());
                line.setLength(0);
                limit = rest;
            }
            if (!line.isEmpty()) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    /** A text table whose wrapping columns break at spaces. */
    private static final class SpaceWrapping extends TextTable {
        private final ColorScheme scheme;

        private SpaceWrapping(ColorScheme scheme, Column[] columns) {
            super(scheme, columns);
            this.scheme = scheme;
        }

        static TextTable like(TextTable picocli, ColorScheme scheme) {
            Column[] cols = picocli.columns();
            Column[] copy = new Column[cols.length];
            for (int i = 0; i < cols.length; i++) {
                copy[i] = new Column(cols[i].width, cols[i].indent, cols[i].overflow);
            }
            SpaceWrapping t = new SpaceWrapping(scheme, copy);
            t.indentWrappedLines = picocli.indentWrappedLines;
            t.setAdjustLineBreaksForWideCJKCharacters(picocli.isAdjustLineBreaksForWideCJKCharacters());
            return t;
        }

        @Override
        public Cell putValue(int row, int col, Help.Ansi.Text value) {
            Column c = columns()[col];
            String plain = value == null ? "" : value.plainString();
            if (c.overflow != Column.Overflow.WRAP || plain.indexOf('\n') >= 0 || plain.length() + c.indent < c.width) {
                return super.putValue(row, col, value);
            }
            List<String> lines = wrap(plain, c.width - c.indent - 1, c.width - c.indent - indentWrappedLines - 1);
            Cell cell = null;
            for (int i = 0; i < lines.size(); i++) {
                if (row + i > rowCount() - 1) {
                    addEmptyRow();
                }
                String line = i == 0 ? lines.get(i) : " ".repeat(indentWrappedLines) + lines.get(i);
                cell = super.putValue(row + i, col, scheme.text(line));
            }
            return cell;
        }
    }
}
