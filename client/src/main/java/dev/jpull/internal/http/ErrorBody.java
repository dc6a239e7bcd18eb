package dev.jpull.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jpull.Printable;
import dev.jpull.internal.oci.JsonTrees;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Wire type: the distribution error body {@code {"errors":[{"code","message","detail"}]}}, the one parser of
 * registry and token-service error bodies for pull, the token fetcher and diagnose.
 */
public record ErrorBody(List<Entry> errors) {

    /** One error; either field may be null. */
    public record Entry(String code, String message) {
    }

    /** The errors of {@code body}, or an empty list when it is not a distribution error body. */
    public static List<Entry> parse(byte[] body) {
        if (body == null || body.length == 0) {
            return List.of();
        }
        try {
            JsonNode root = JsonTrees.read(body);
            JsonNode errors = root == null ? null : root.get("errors");
            if (errors == null || !errors.isArray()) {
                return List.of();
            }
            List<Entry> out = new java.util.ArrayList<>();
            for (JsonNode e : errors) {
                if (e.isObject()) {
                    out.add(new Entry(text(e, "code"), text(e, "message")));
                }
            }
            return List.copyOf(out);
        } catch (Exception e) {
            return List.of();
        }
    }

    /** The first error of {@code body}, or null. */
    public static Entry first(byte[] body) {
        List<Entry> all = parse(body);
        return all.isEmpty() ? null : all.get(0);
    }

    /**
     * {@code CODE: message; CODE2: message2} with control characters escaped ({@link Printable}), or null when
     * {@code body} is not a distribution error body.
     */
    public static String summarize(byte[] body) {
        List<Entry> all = parse(body);
        if (all.isEmpty()) {
            return null;
        }
        return all.stream()
                .map(e -> (e.code() == null ? "" : e.code() + ": ") + (e.message() == null ? "" : e.message()))
                .map(Printable::escape).collect(Collectors.joining("; "));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }
}
