package dev.jpull.internal.config;

import dev.jpull.ConfigWarning;

import dev.jpull.ConfigException;
import java.nio.file.Path;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Composes the node tree of a YAML file's first document, as gopkg.in/yaml.v2's {@code Unmarshal} reads only the
 * first document (a later one is reported as a warning and not read). Every error is a {@link ConfigException}
 * with file, line and column, including SnakeYAML's unmarked ones (nesting depth, alias count, size), which get
 * the position of the last event read.
 *
 * <p>Aliases are not expanded here (the tree shares nodes), so the alias limit only bounds work; billion-laughs
 * expansion through merge keys is bounded by {@link YamlNodes}.
 */
final class YamlCompose {
    /** yaml.v2 has no fixed limit; this is far beyond any registries.yaml and keeps the stack safe. */
    static final int MAX_DEPTH = 500;
    /** Aliases to collections (SnakeYAML's default is 50, which a large, anchor-heavy file can exceed). */
    static final int MAX_ALIASES = 10_000;

    private YamlCompose() {
    }

    static Node firstDocument(Path file, String text, YamlNodes y) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // yaml.v2 (not strict) accepts them; YamlNodes warns
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setCodePointLimit(Integer.MAX_VALUE); // ConfigText bounds the file size
        Tracking parser = new Tracking(new ParserImpl(new StreamReader(text), options));
        Composer composer = new Composer(parser, new Resolver(), options);
        Node root;
        try {
            root = composer.checkNode() ? composer.getNode() : null;
        } catch (ReaderException e) {
            int[] lc = ConfigText.lineColumnOfCodePoint(text, e.getPosition());
            throw new ConfigException(file, lc[0], lc[1], "invalid YAML: " + character(e.getCodePoint())
                    + " is not allowed in YAML (K3s rejects it too)");
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw at(file, mark != null ? mark : parser.last, "invalid YAML: " + describe(e.getContext(),
                    e.getProblem()));
        } catch (YAMLException e) {
            throw at(file, parser.last, "invalid YAML: " + oneLine(String.valueOf(e.getMessage())));
        } catch (StackOverflowError e) {
            throw at(file, parser.last, "invalid YAML: nested too deeply");
        }
        try {
            if (parser.peekEvent().is(Event.ID.DocumentStart)) {
                Mark m = parser.peekEvent().getStartMark();
                y.warnings().add(new ConfigWarning(file, m.getLine() + 1, m.getColumn() + 1, "a second YAML "
                        + "document starts here; K3s reads only the first one, so this is ignored"));
            }
        } catch (YAMLException e) {
            Mark m = parser.last;
            y.warnings().add(new ConfigWarning(file, m == null ? 0 : m.getLine() + 1, m == null ? 0
                    : m.getColumn() + 1, "text after the first YAML document is ignored, as K3s ignores it "
                    + "(it is not valid YAML: " + oneLine(String.valueOf(e.getMessage())) + ")"));
        }
        return root;
    }

    private static ConfigException at(Path file, Mark mark, String problem) {
        if (mark == null) {
            return new ConfigException(file, 1, 1, problem);
        }
        return new ConfigException(file, mark.getLine() + 1, mark.getColumn() + 1, problem);
    }

    private static String character(int cp) {
        return String.format(java.util.Locale.ROOT, "the control character U+%04X", cp);
    }

    static String describe(String context, String problem) {
        if (problem == null) {
            return oneLine(String.valueOf(context));
        }
        if (context == null) {
            return oneLine(problem);
        }
        if (context.startsWith("expected")) {
            return oneLine(context) + ", " + oneLine(problem);
        }
        return oneLine(problem) + " (" + oneLine(context) + ")";
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }

    /** Remembers where the last event read started, for errors SnakeYAML reports without a position. */
    private static final class Tracking implements Parser {
        private final Parser delegate;
        Mark last;

        Tracking(Parser delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean checkEvent(Event.ID choice) {
            return delegate.checkEvent(choice);
        }

        @Override
        public Event peekEvent() {
            return remember(delegate.peekEvent());
        }

        @Override
        public Event getEvent() {
            return remember(delegate.getEvent());
        }

        private Event remember(Event e) {
            if (e != null && e.getStartMark() != null) {
                last = e.getStartMark();
            }
            return e;
        }
    }
}
