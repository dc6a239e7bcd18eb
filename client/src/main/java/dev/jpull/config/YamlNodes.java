package dev.jpull.config;

import dev.jpull.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Typed access to a composed YAML node tree with the leniency of Go's gopkg.in/yaml.v2 (which K3s uses): any
 * scalar decodes into a string field, null is "not set", and type mismatches are errors with a file position.
 * Error messages name the node kind, never the value (values may be secrets).
 */
final class YamlNodes {
    private static final Map<String, Boolean> BOOLS = Map.ofEntries(
            Map.entry("true", true), Map.entry("yes", true), Map.entry("on", true), Map.entry("y", true),
            Map.entry("false", false), Map.entry("no", false), Map.entry("off", false), Map.entry("n", false));

    private final Path file;
    private final List<ConfigWarning> warnings = new ArrayList<>();

    YamlNodes(Path file) {
        this.file = file;
    }

    List<ConfigWarning> warnings() {
        return warnings;
    }

    static boolean isNull(Node node) {
        return node == null || (node instanceof ScalarNode && Tag.NULL.equals(node.getTag()));
    }

    /** Entries of a mapping in file order; null node means empty. Duplicate keys are errors, as in yaml.v2. */
    Map<String, Node> mapping(Node node, String where) {
        Map<String, Node> out = new LinkedHashMap<>();
        if (isNull(node)) {
            return out;
        }
        if (!(node instanceof MappingNode)) {
            throw error(node, where + " must be a mapping, not " + kind(node));
        }
        Set<String> seen = new HashSet<>();
        for (NodeTuple tuple : ((MappingNode) node).getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode)) {
                throw error(keyNode, "keys of " + where + " must be scalars, not " + kind(keyNode));
            }
            String key = ((ScalarNode) keyNode).getValue();
            if (!seen.add(key)) {
                throw error(keyNode, "duplicate key '" + key + "' in " + where);
            }
            out.put(key, tuple.getValueNode());
        }
        return out;
    }

    /** The position of each key node of a mapping, for warnings about unknown keys. */
    Map<String, Node> keyNodes(Node node) {
        Map<String, Node> out = new LinkedHashMap<>();
        if (node instanceof MappingNode) {
            for (NodeTuple tuple : ((MappingNode) node).getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode) {
                    out.putIfAbsent(((ScalarNode) tuple.getKeyNode()).getValue(), tuple.getKeyNode());
                }
            }
        }
        return out;
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

    /** A boolean field: a YAML 1.1 boolean; null means false. Quoted strings are errors (as in yaml.v2). */
    boolean bool(Node node, String where) {
        if (isNull(node)) {
            return false;
        }
        if (node instanceof ScalarNode && Tag.BOOL.equals(node.getTag())) {
            Boolean b = BOOLS.get(((ScalarNode) node).getValue().toLowerCase(Locale.ROOT));
            if (b != null) {
                return b;
            }
        }
        throw error(node, where + " must be true or false, not " + kind(node));
    }

    /** A list of strings; null means empty; empty strings are dropped. */
    List<String> stringList(Node node, String where) {
        List<String> out = new ArrayList<>();
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
                out.add(s);
            }
        }
        return out;
    }

    /** Records an unknown-key warning at the key's position. */
    void unknownKeys(Node mapping, Set<String> known, String where, Map<String, String> hints) {
        for (Map.Entry<String, Node> e : keyNodes(mapping).entrySet()) {
            String key = e.getKey();
            if (known.contains(key)) {
                continue;
            }
            String message = "unknown key '" + key + "' " + where + " (K3s ignores it)";
            String hint = hints.get(key);
            if (hint != null) {
                message += "; " + hint;
            }
            warn(e.getValue(), message);
        }
    }

    void warn(Node node, String message) {
        Mark m = node.getStartMark();
        warnings.add(new ConfigWarning(file, m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1,
                message));
    }

    ConfigException error(Node node, String problem) {
        Mark m = node.getStartMark();
        if (m == null) {
            return new ConfigException(file, problem);
        }
        return new ConfigException(file, m.getLine() + 1, m.getColumn() + 1, problem);
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
}
