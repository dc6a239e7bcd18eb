package dev.jpull.internal.oci;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Map;

/**
 * JSON trees ({@link JsonNode}) read and written with jackson-core's streaming parser and generator, without an
 * {@link com.fasterxml.jackson.databind.ObjectMapper}. Every JSON document of a pull (manifests, the endpoint
 * memory, auth files, token and error bodies, image configs, the {@code -o json} report) is a tree, and building the
 * mapper with its serializer and deserializer machinery costs a short run ~0.08 s of CPU (about 600 classes) that a
 * tree does not need. The trees are what {@code ObjectMapper.readTree} builds ({@link JsonNodeFactory}'s nodes:
 * {@code int}, {@code long} or big integer nodes for integers, double nodes for fractions; of duplicate keys the
 * last wins) and are written as {@code ObjectMapper.writeTree} writes them, so the bytes do not change.
 *
 * <p>{@link #readStrict} is for documents whose meaning must not depend on the parser: it refuses duplicate keys
 * and trailing content after the document, as {@link ManifestParser} requires.
 */
public final class JsonTrees {
    /** The shared factory (thread-safe; jackson-core's limits on nesting, number and string length apply). */
    public static final JsonFactory FACTORY = JsonFactory.builder().build();

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTrees() {
    }

    /** An empty object; fields keep insertion order. */
    public static ObjectNode object() {
        return NODES.objectNode();
    }

    /** An empty array. */
    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    /** The document in {@code bytes} (UTF-8, -16 or -32); {@link MissingNode} when there is none. */
    public static JsonNode read(byte[] bytes) throws IOException {
        return read(FACTORY.createParser(bytes), false);
    }

    /** The document in {@code text}; {@link MissingNode} when there is none. */
    public static JsonNode read(String text) throws IOException {
        return read(FACTORY.createParser(text), false);
    }

    /** As {@link #read(byte[])}, refusing duplicate keys and anything after the document. */
    public static JsonNode readStrict(byte[] bytes) throws IOException {
        JsonParser p = FACTORY.createParser(bytes);
        p.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
        return read(p, true);
    }

    private static JsonNode read(JsonParser parser, boolean strict) throws IOException {
        try (JsonParser p = parser) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return MissingNode.getInstance();
            }
            JsonNode root = value(p, first);
            if (strict) {
                JsonToken more = p.nextToken();
                if (more != null) {
                    throw new JsonParseException(p, "Trailing token (of type " + more + ") found after value");
                }
            }
            return root;
        }
    }

    /** The value starting at {@code token}, built without recursion (nesting depth is the parser's limit). */
    private static JsonNode value(JsonParser p, JsonToken token) throws IOException {
        ArrayDeque<ContainerNode<?>> open = new ArrayDeque<>();
        JsonNode root = null;
        String name = null;
        for (JsonToken t = token; ; t = p.nextToken()) {
            if (t == null) {
                throw new JsonParseException(p, "Unexpected end-of-input");
            }
            JsonNode v;
            switch (t) {
                case FIELD_NAME -> {
                    name = p.currentName();
                    continue;
                }
                case END_OBJECT, END_ARRAY -> {
                    open.pop();
                    if (open.isEmpty()) {
                        return root;
                    }
                    continue;
                }
                case START_OBJECT -> v = NODES.objectNode();
                case START_ARRAY -> v = NODES.arrayNode();
                case VALUE_STRING -> v = NODES.textNode(p.getText());
                case VALUE_NUMBER_INT -> v = switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
                case VALUE_NUMBER_FLOAT -> v = NODES.numberNode(p.getDoubleValue());
                case VALUE_TRUE -> v = NODES.booleanNode(true);
                case VALUE_FALSE -> v = NODES.booleanNode(false);
                case VALUE_NULL -> v = NODES.nullNode();
                default -> throw new JsonParseException(p, "Unexpected token (" + t + ")");
            }
            ContainerNode<?> parent = open.peek();
            if (parent == null) {
                root = v;
            } else if (parent instanceof ObjectNode o) {
                o.set(name, v);
            } else {
                ((ArrayNode) parent).add(v);
            }
            if (v instanceof ContainerNode<?> c) {
                open.push(c);
            } else if (parent == null) {
                return v;
            }
        }
    }

    /** {@code node} as compact UTF-8 JSON. */
    public static byte[] bytes(JsonNode node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, node);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON", e);
        }
        return out.toByteArray();
    }

    /** {@code node} pretty-printed (Jackson's default printer), without a trailing newline. */
    public static String pretty(JsonNode node) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            write(g, node);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON", e);
        }
        return out.toString();
    }

    /** Writes {@code node} to {@code g}, as {@code ObjectMapper.writeTree} does (trees are shallow: recursion). */
    public static void write(JsonGenerator g, JsonNode node) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    g.writeFieldName(e.getKey());
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode item : node) {
                    write(g, item);
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(node.textValue());
            case NUMBER -> {
                switch (node.numberType()) {
                    case INT -> g.writeNumber(node.intValue());
                    case LONG -> g.writeNumber(node.longValue());
                    case BIG_INTEGER -> g.writeNumber(node.bigIntegerValue());
                    case FLOAT -> g.writeNumber(node.floatValue());
                    case BIG_DECIMAL -> g.writeNumber(node.decimalValue());
                    default -> g.writeNumber(node.doubleValue());
                }
            }
            case BOOLEAN -> g.writeBoolean(node.booleanValue());
            case NULL, MISSING -> g.writeNull();
            default -> throw new IllegalArgumentException("not a JSON tree node: " + node.getNodeType());
        }
    }
}
