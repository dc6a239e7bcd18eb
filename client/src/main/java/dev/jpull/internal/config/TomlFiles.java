package dev.jpull.internal.config;

import dev.jpull.ConfigLocation;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.jpull.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads TOML files (containerd's {@code config.toml} and {@code hosts.toml}) into Jackson trees. Tables keep the
 * order in which they first appear in the file. Errors are {@link ConfigException}s with file, line and column;
 * they never quote values (a config.toml may hold passwords).
 */
final class TomlFiles {
    private static final TomlMapper MAPPER = new TomlMapper();

    private TomlFiles() {
    }

    static ObjectNode read(Path file) {
        return parse(file, ConfigText.toml(file));
    }

    static ObjectNode parse(Path file, String text) {
        try {
            JsonNode node = MAPPER.readTree(text);
            return node instanceof ObjectNode o ? o : MAPPER.createObjectNode();
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String problem = "invalid TOML: " + e.getOriginalMessage().replaceAll("\\s+", " ").trim();
            if (loc == null || loc.getLineNr() <= 0) {
                throw new ConfigException(file, problem);
            }
            throw new ConfigException(file, loc.getLineNr(), Math.max(loc.getColumnNr(), 0), problem);
        }
    }

    /** The table at {@code key} of {@code node}; null when absent; error when it is not a table. */
    static ObjectNode table(Path file, JsonNode node, String key, String where) {
        JsonNode v = node == null ? null : node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!(v instanceof ObjectNode o)) {
            throw new ConfigException(file, where + " must be a table");
        }
        return o;
    }

    /** A string value; null when absent. */
    static String string(Path file, JsonNode node, String key, String where) {
        JsonNode v = node == null ? null : node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new ConfigException(file, where + " must be a string");
        }
        return v.asText();
    }

    /** A boolean value; null when absent. */
    static Boolean bool(Path file, JsonNode node, String key, String where) {
        JsonNode v = node == null ? null : node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            String text = v.isTextual() ? v.asText() : "";
            String hint = text.equals("true") || text.equals("false") ? "; did you mean " + text + " without quotes?"
                    : v.isTextual() ? DidYouMean.hint(text, List.of("true", "false")) : "";
            throw new ConfigException(file, where + " must be true or false" + hint);
        }
        return v.asBoolean();
    }

    /** A string or an array of strings (containerd accepts both for {@code ca}, {@code header} values). */
    static List<String> strings(Path file, JsonNode node, String key, String where) {
        JsonNode v = node == null ? null : node.get(key);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isTextual()) {
            out.add(v.asText());
            return out;
        }
        if (!v.isArray()) {
            throw new ConfigException(file, where + " must be a string or an array of strings");
        }
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw new ConfigException(file, where + " must be a string or an array of strings");
            }
            out.add(e.asText());
        }
        return out;
    }

    /**
     * Where the string {@code value} was written as a quoted TOML string ({@code "..."} or {@code '...'}): its
     * first occurrence at or after {@code from} (else anywhere), or only the file when it cannot be found (e.g.
     * written with escapes). Jackson's TOML trees have no positions; this finds them for warnings.
     */
    static ConfigLocation locate(Path file, String text, String value, int from) {
        String basic = "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        String literal = "'" + value + "'";
        int at = -1;
        for (int start : new int[] {Math.max(from, 0), 0}) {
            int b = text.indexOf(basic, start);
            int l = value.indexOf('\'') >= 0 ? -1 : text.indexOf(literal, start);
            at = b < 0 ? l : l < 0 ? b : Math.min(b, l);
            if (at >= 0) {
                break;
            }
        }
        if (at < 0) {
            return ConfigLocation.of(file);
        }
        int[] lc = ConfigText.lineColumn(text, at);
        return new ConfigLocation(file, lc[0], lc[1]);
    }

    /**
     * Where {@code key = ...} was written at the start of a line, searching from {@code from} (a table's header),
     * else from the start; only the file when it cannot be found (e.g. a dotted key).
     */
    static ConfigLocation locateKey(Path file, String text, String key, int from) {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile("(?m)^[ \\t]*(?:"
                + java.util.regex.Pattern.quote(key) + "|\"" + java.util.regex.Pattern.quote(key) + "\"|'"
                + java.util.regex.Pattern.quote(key) + "')[ \\t]*=");
        for (int start : new int[] {Math.max(from, 0), 0}) {
            java.util.regex.Matcher m = p.matcher(text);
            if (m.find(Math.min(start, text.length()))) {
                int at = m.start();
                while (at < text.length() && (text.charAt(at) == ' ' || text.charAt(at) == '\t')) {
                    at++;
                }
                int[] lc = ConfigText.lineColumn(text, at);
                return new ConfigLocation(file, lc[0], lc[1]);
            }
        }
        return ConfigLocation.of(file);
    }

    /**
     * A warning per key of {@code node} that is not one of {@code known}, at its line and column (searched from
     * {@code from}), with the closest known key as a "did you mean".
     */
    static void unknownKeys(Path file, String text, int from, JsonNode node, java.util.Collection<String> known,
                            String where, String ignoredBy, List<dev.jpull.ConfigWarning> out) {
        for (String key : keys(node)) {
            if (!known.contains(key)) {
                out.add(locateKey(file, text, key, from).warning("unknown key '" + key + "' " + where + " ("
                        + ignoredBy + " ignores it)" + DidYouMean.hint(key, new java.util.TreeSet<>(known))));
            }
        }
    }

    /**
     * {@code e} with the line and column of the key it names when it has none (value errors of {@link #string},
     * {@link #bool}, {@link #table}...: {@code WHERE must be ...}, the key being the last part of WHERE).
     */
    static ConfigException positioned(Path file, String text, ConfigException e) {
        if (e.line() > 0 || e.file() == null || !e.file().equals(file)) {
            return e;
        }
        String problem = e.getMessage().substring(Math.min(String.valueOf(file).length() + 2,
                e.getMessage().length()));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\S+?)(?::| must) ").matcher(problem);
        if (!m.find()) {
            return e;
        }
        String where = m.group(1);
        int dot = where.lastIndexOf('.');
        String key = dot < 0 ? where : where.substring(dot + 1);
        if (key.startsWith("\"") && key.endsWith("\"") && key.length() > 1) {
            key = key.substring(1, key.length() - 1);
        }
        ConfigLocation at = locateKey(file, text, key, 0);
        if (at.line() <= 0) {
            return e;
        }
        ConfigException located = new ConfigException(file, at.line(), at.column(), problem);
        located.initCause(e);
        return located;
    }

    static List<String> keys(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node != null) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            it.forEachRemaining(e -> out.add(e.getKey()));
        }
        return out;
    }

    static String quote(String key) {
        return "\"" + key + "\"";
    }
}
