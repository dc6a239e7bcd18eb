package dev.jpull.internal.oci;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed access to the fields of one JSON object of a manifest, with Go {@code encoding/json}'s rules for the Go types
 * containerd decodes into (a string is only a string, an {@code int64} only an integer literal without fraction or
 * exponent that fits 64 bits; {@code null} is the same as absent), and errors that name the field by its path
 * ({@code layers[2].size}), the expected type and what was there instead.
 *
 * <p>Go matches JSON keys to struct fields ignoring letter case, so containerd reads {@code "Config"} as
 * {@code config}; a key that differs from a field jpull reads only in case is refused, so that jpull and containerd
 * never read different things out of one manifest.
 */
final class JsonFields {
    private static final int MAX_SHOWN = 40;

    private final JsonNode node;
    private final String path;

    private JsonFields(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** The object {@code node} at {@code path} ("" for the document), whose fields jpull reads are {@code known}. */
    static JsonFields of(JsonNode node, String path, String what, Set<String> known) throws InvalidManifestException {
        if (node == null || !node.isObject()) {
            throw new InvalidManifestException((path.isEmpty() ? "the document" : path) + ": expected " + what
                    + " (a JSON object), got " + describe(node));
        }
        var names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (known.contains(name)) {
                continue;
            }
            for (String field : known) {
                if (field.equalsIgnoreCase(name)) {
                    throw new InvalidManifestException(child(path, name) + ": key differs from \"" + field
                            + "\" only in letter case (containerd would read it as \"" + field
                            + "\"); refusing an ambiguous manifest");
                }
            }
        }
        return new JsonFields(node, path);
    }

    /** The path of {@code field} of this object. */
    String path(String field) {
        return child(path, field);
    }

    private static String child(String parent, String field) {
        return parent.isEmpty() ? field : parent + "." + field;
    }

    /** The field's value, or null when absent or {@code null}. */
    JsonNode get(String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    boolean has(String field) {
        return get(field) != null;
    }

    String string(String field, boolean required) throws InvalidManifestException {
        JsonNode v = get(field);
        if (v == null) {
            if (required) {
                throw missing(field, "a string");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw wrongType(path(field), "a string", v);
        }
        return v.textValue();
    }

    /** A required Go {@code int64} that is not negative. */
    long size(String field) throws InvalidManifestException {
        JsonNode v = get(field);
        if (v == null) {
            throw missing(field, "the size in bytes (a non-negative integer)");
        }
        long n = int64(path(field), v);
        if (n < 0) {
            throw new InvalidManifestException(path(field) + ": expected a non-negative integer, got " + n);
        }
        return n;
    }

    /** A required Go {@code int} (64 bits). */
    long integer(String field) throws InvalidManifestException {
        JsonNode v = get(field);
        if (v == null) {
            throw missing(field, "an integer");
        }
        return int64(path(field), v);
    }

    private static long int64(String path, JsonNode v) throws InvalidManifestException {
        if (v.isIntegralNumber()) {
            if (!v.canConvertToLong()) {
                throw new InvalidManifestException(path + ": integer " + shown(v.asText())
                        + " does not fit in 64 bits (int64)");
            }
            return v.longValue();
        }
        if (v.isNumber()) {
            throw new InvalidManifestException(path + ": expected an integer (int64), got the number "
                    + shown(v.asText()));
        }
        throw wrongType(path, "an integer (int64)", v);
    }

    /** An optional array of strings; empty when absent. */
    List<String> strings(String field) throws InvalidManifestException {
        List<String> out = new ArrayList<>();
        int i = 0;
        for (JsonNode item : array(field)) {
            if (!item.isTextual()) {
                throw wrongType(path(field) + "[" + i + "]", "a string", item);
            }
            out.add(item.textValue());
            i++;
        }
        return out;
    }

    /** An optional array; empty when absent. */
    List<JsonNode> array(String field) throws InvalidManifestException {
        JsonNode v = get(field);
        if (v == null) {
            return List.of();
        }
        if (!v.isArray()) {
            throw wrongType(path(field), "an array", v);
        }
        List<JsonNode> out = new ArrayList<>(v.size());
        v.forEach(out::add);
        return out;
    }

    /** An optional object of string values (Go {@code map[string]string}); null when absent. */
    Map<String, String> stringMap(String field) throws InvalidManifestException {
        JsonNode v = get(field);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            throw wrongType(path(field), "an object of strings", v);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : v.properties()) {
            if (!e.getValue().isTextual()) {
                throw wrongType(path(field) + "[\"" + shown(e.getKey()) + "\"]", "a string", e.getValue());
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }

    InvalidManifestException missing(String field, String expected) {
        return new InvalidManifestException(path(field) + ": missing (expected " + expected + ")");
    }

    static InvalidManifestException wrongType(String path, String expected, JsonNode got) {
        return new InvalidManifestException(path + ": expected " + expected + ", got " + describe(got));
    }

    /** {@code a string "1093602"}, {@code the number 1.5}, {@code an object}, ... */
    static String describe(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing";
        }
        return switch (v.getNodeType()) {
            case STRING -> "a string \"" + shown(v.textValue()) + "\"";
            case NUMBER -> "the number " + shown(v.asText());
            case BOOLEAN -> v.asText();
            case NULL -> "null";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** At most {@value #MAX_SHOWN} characters of server text. */
    static String shown(String s) {
        return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN) + "...";
    }
}
