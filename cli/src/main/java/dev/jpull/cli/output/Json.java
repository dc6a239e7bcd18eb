package dev.jpull.cli.output;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpull.Printable;
import dev.jpull.internal.oci.JsonTrees;
import java.io.IOException;
import java.io.StringWriter;

/**
 * JSON output of the commands: trees written by {@link JsonTrees} (no object mapper). Every string value
 * and field name is escaped ({@link Printable}) before JSON encoding: JSON's own escaping would give a control
 * character back to {@code jq -r}, so the decoded value itself carries none.
 */
public final class Json {
    private Json() {
    }

    /** An empty object; fields keep insertion order. */
    public static ObjectNode object() {
        return JsonTrees.object();
    }

    /** Pretty-printed {@code node} followed by a newline. */
    public static String write(JsonNode node) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new Escaping(JsonTrees.FACTORY.createGenerator(out))) {
            g.useDefaultPrettyPrinter();
            JsonTrees.write(g, node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
        return out + System.lineSeparator();
    }

    /** Escapes the text of every string value and field name on its way to the JSON generator. */
    private static final class Escaping extends JsonGeneratorDelegate {
        Escaping(JsonGenerator g) {
            super(g, false);
        }

        @Override
        public void writeString(String text) throws IOException {
            super.writeString(Printable.escape(text));
        }

        @Override
        public void writeString(char[] text, int offset, int len) throws IOException {
            writeString(new String(text, offset, len));
        }

        @Override
        public void writeString(SerializableString text) throws IOException {
            writeString(text.getValue());
        }

        @Override
        public void writeFieldName(String name) throws IOException {
            super.writeFieldName(Printable.escape(name));
        }

        @Override
        public void writeFieldName(SerializableString name) throws IOException {
            writeFieldName(name.getValue());
        }
    }
}
