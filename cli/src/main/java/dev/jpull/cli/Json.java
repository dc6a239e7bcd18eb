package dev.jpull.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON output of the commands, with the library's shared mapper ({@link dev.jpull.oci.Json}). */
final class Json {
    private Json() {
    }

    private static ObjectMapper mapper() {
        return dev.jpull.oci.Json.MAPPER;
    }

    /** An empty object; fields keep insertion order. */
    static ObjectNode object() {
        return mapper().createObjectNode();
    }

    /** Pretty-printed {@code node} followed by a newline. */
    static String write(JsonNode node) {
        try {
            return mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
