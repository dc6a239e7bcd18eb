package dev.jpull.internal.config;

import dev.jpull.ConfigLocation;
import dev.jpull.ConfigWarning;

import dev.jpull.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Typed access to a composed YAML node tree with the semantics of Go's gopkg.in/yaml.v2 (which K3s uses): any
 * scalar decodes into a string field, null is "not set", YAML 1.1 booleans ({@code y}, {@code yes}, {@code on},
 * ...), merge keys ({@code <<}), and a key written twice is not an error (the later value is applied after the
 * earlier one; a warning says so). Type mismatches are errors with a file position. Error messages name the node
 * kind, never the value (values may be secrets).
 */
final class YamlNodes {
    /** gopkg.in/yaml.v2 {@code resolve.go}: exactly these spellings are booleans. */
    private static final Map<String, Boolean> BOOLS = bools();
    /** Entries a mapping may expand to through merge keys (aliases make this exponential otherwise). */
    private static final int MAX_MERGED_ENTRIES = 100_000;

    private final Path file;
    private final List<ConfigWarning> warnings = new ArrayList<>();

    /** One key and value of a mapping, in the order yaml.v2 applies them. */
    record Entry(String key, Node keyNode, Node value) {
    }

    YamlNodes(Path file) {
        this.file = file;
    }

    List<ConfigWarning> warnings() {
        return warnings;
    }

    static boolean isNull(Node node) {
        return node == null || (node instanceof ScalarNode && Tag.NULL.equals(node.getTag()));
    }

    /**
     * The entries of a mapping in the order yaml.v2 applies them (null node: none): merge keys are expanded in
     * place (a sequence of mappings last to first, so earlier ones win), and keys written twice are kept (the
     * caller applies both, the later wins) with a warning.
     */
    List<Entry> entries(Node node, String where) {
        List<Entry> out = new ArrayList<>();
        if (isNull(node)) {
            return out;
        }
        if (!(node instanceof MappingNode)) {
            throw error(node, where + " must be a mapping, not " + kind(node));
        }
        Map<String, Node> seen = new HashMap<>();
        for (NodeTuple tuple : ((MappingNode) node).getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (keyNode instanceof ScalarNode && Tag.MERGE.equals(keyNode.getTag())) {
                continue;
            }
            if (!(keyNode instanceof ScalarNode)) {
                throw error(keyNode, "keys of " + where + " must be scalars, not " + kind(keyNode));
            }
            String key = ((ScalarNode) keyNode).getValue();
            Node first = seen.putIfAbsent(key, keyNode);
            if (first != null) {
                warn(keyNode, "duplicate key '" + key + "' " + in(where) + " (also at line " + line(first)
                        + "); K3s accepts it and the later value overrides the earlier one");
            }
        }
        expand((MappingNode) node, where, out, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private void expand(MappingNode node, String where, List<Entry> out, Set<Node> path) {
        if (!path.add(node)) {
            throw error(node, "merge key (<<) in " + where + " refers to a mapping that contains itself");
        }
        for (NodeTuple tuple : node.getValue()) {
            Node keyNode = tuple.getKeyNode();
            Node value = tuple.getValueNode();
            if (keyNode instanceof ScalarNode && Tag.MERGE.equals(keyNode.getTag())) {
                List<Node> sources = value instanceof SequenceNode s ? new ArrayList<>(s.getValue()) : List.of(value);
                for (int i = sources.size() - 1; i >= 0; i--) {
                    if (!(sources.get(i) instanceof MappingNode m)) {
                        throw error(sources.get(i), "merge key (<<) in " + where
                                + " must refer to a mapping or a list of mappings, not " + kind(sources.get(i)));
                    }
                    expand(m, where, out, path);
                }
            } else if (keyNode instanceof ScalarNode k) {
                out.add(new Entry(k.getValue(), keyNode, value));
            } else {
                throw error(keyNode, "keys of " + where + " must be scalars, not " + kind(keyNode));
            }
            if (out.size() > MAX_MERGED_ENTRIES) {
                throw error(keyNode, where + " has more than " + MAX_MERGED_ENTRIES
                        + " entries through merge keys (<<) and aliases");
            }
        }
        path.remove(node);
    }

    /** A string field: any scalar's text; null and empty string mean "not set" (null). */
    String string(Node node, String where) {
        if (isNull(node)) {
            return null;
        }
        if (!(node instanceof ScalarNode)) {
            throw error(node, where + " must be a string, not " + kind(node));
        }
        String value = ((ScalarNode) node).getValue();
        return value.isEmpty() ? null : value;
    }

    /** A string value that keeps the empty string (rewrite replacements). */
    String rawString(Node node, String where) {
        if (isNull(node)) {
            return "";
        }
        if (!(node instanceof ScalarNode)) {
            throw error(node, where + " must be a string, not " + kind(node));
        }
        return ((ScalarNode) node).getValue();
    }

    /**
     * A boolean field: a plain scalar spelled as a YAML 1.1 boolean of yaml.v2 ({@code true}, {@code yes},
     * {@code y}, {@code on}, ... in lower, Capitalised or UPPER case), or an explicit {@code !!bool}; null means
     * false. Quoted strings are errors (as in yaml.v2).
     */
    boolean bool(Node node, String where) {
        if (isNull(node)) {
            return false;
        }
        String hint = "";
        if (node instanceof ScalarNode s) {
            Boolean b = BOOLS.get(s.getValue());
            boolean plain = s.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN;
            if (b != null && (plain || Tag.BOOL.equals(s.getTag()))) {
                return b;
            }
            hint = b != null ? "; did you mean " + b + " without quotes?"
                    : DidYouMean.hint(s.getValue(), List.of("true", "false"));
        }
        throw error(node, where + " must be true or false, not " + kind(node) + hint);
    }

    /** One item of a string list and where it was written. */
    record Item(String value, ConfigLocation location) {
    }

    /** A list of strings; null means empty; empty strings are dropped. */
    List<Item> stringList(Node node, String where) {
        List<Item> out = new ArrayList<>();
        if (isNull(node)) {
            return out;
        }
        if (!(node instanceof SequenceNode)) {
            throw error(node, where + " must be a list of strings, not " + kind(node));
        }
        List<Node> items = ((SequenceNode) node).getValue();
        for (int i = 0; i < items.size(); i++) {
            String s = string(items.get(i), where + "[" + i + "]");
            if (s != null) {
                out.add(new Item(s, location(items.get(i))));
            }
        }
        return out;
    }

    /**
     * Records an unknown-key warning at the key's position, with the hint written for that key, else a "did you
     * mean" for the closest of the keys {@code known} at this place.
     */
    void unknownKey(Entry e, String where, Map<String, String> hints, java.util.Collection<String> known) {
        String message = "unknown key '" + e.key() + "' " + where + " (K3s ignores it)";
        String hint = hints.get(e.key());
        message += hint != null ? "; " + hint : DidYouMean.hint(e.key(), known);
        warn(e.keyNode(), message);
    }

    void warn(Node node, String message) {
        warnings.add(location(node).warning(message));
    }

    ConfigLocation location(Node node) {
        Mark m = node.getStartMark();
        return m == null ? ConfigLocation.of(file) : new ConfigLocation(file, m.getLine() + 1, m.getColumn() + 1);
    }

    ConfigException error(Node node, String problem) {
        Mark m = node.getStartMark();
        if (m == null) {
            return new ConfigException(file, problem);
        }
        return new ConfigException(file, m.getLine() + 1, m.getColumn() + 1, problem);
    }

    private static int line(Node node) {
        Mark m = node.getStartMark();
        return m == null ? 0 : m.getLine() + 1;
    }

    private static String in(String where) {
        return where.startsWith("the ") ? "at " + where : "in " + where;
    }

    static String kind(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        Tag tag = node.getTag();
        if (Tag.BOOL.equals(tag)) {
            return "a boolean";
        }
        if (Tag.INT.equals(tag) || Tag.FLOAT.equals(tag)) {
            return "a number";
        }
        if (Tag.NULL.equals(tag)) {
            return "null";
        }
        return "a string";
    }

    /** {@code "name"} quoted for use in a dotted location like {@code mirrors."docker.io"}. */
    static String quote(String name) {
        return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static Map<String, Boolean> bools() {
        Map<String, Boolean> m = new HashMap<>();
        for (String w : List.of("y", "yes", "true", "on")) {
            m.put(w, true);
            m.put(Character.toUpperCase(w.charAt(0)) + w.substring(1), true);
            m.put(w.toUpperCase(java.util.Locale.ROOT), true);
        }
        for (String w : List.of("n", "no", "false", "off")) {
            m.put(w, false);
            m.put(Character.toUpperCase(w.charAt(0)) + w.substring(1), false);
            m.put(w.toUpperCase(java.util.Locale.ROOT), false);
        }
        return Map.copyOf(m);
    }
}
