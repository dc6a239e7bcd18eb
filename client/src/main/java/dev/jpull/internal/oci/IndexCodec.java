package dev.jpull.internal.oci;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The store's {@code index.json} ({@link ImageIndex}, {@link Descriptor}, {@link Platform}) read and written with
 * Jackson's streaming parser and generator only: data binding would cost a small pull ~0.08 s of CPU for the record
 * introspection and bean (de)serializers of these three types.
 *
 * <p>It writes exactly the bytes {@link Json#MAPPER} writes for the same value: compact, fields in record component
 * order, {@link ImageIndex} and {@link Platform} fields left out when null, {@link Descriptor} fields when null or
 * empty ({@code size} always written). It reads as strictly as the mapper binds: no coercion between JSON types,
 * {@code schemaVersion} and every {@code size} present and integers that fit their Java type, other fields absent
 * or {@code null} for null, unknown fields ignored, the last of repeated fields wins. Stricter than the mapper, it
 * refuses content after the root object, and {@code null} as an entry of {@code manifests}, of a string array or as
 * an annotation value (jpull writes none of these). A component added to one of the records belongs here too.
 */
public final class IndexCodec {
    private static final JsonFactory FACTORY = JsonTrees.FACTORY;

    private IndexCodec() {
    }

    /** {@code index} as {@code Json.MAPPER.writeValueAsBytes(index)} writes it. */
    public static byte[] write(ImageIndex index) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeNumberField("schemaVersion", index.schemaVersion());
            string(g, "mediaType", index.mediaType(), false);
            if (index.manifests() != null) {
                g.writeArrayFieldStart("manifests");
                for (Descriptor d : index.manifests()) {
                    descriptor(g, d);
                }
                g.writeEndArray();
            }
            if (index.annotations() != null) {
                stringMap(g, "annotations", index.annotations());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing an image index to memory", e);
        }
        return out.toByteArray();
    }

    private static void descriptor(JsonGenerator g, Descriptor d) throws IOException {
        if (d == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        string(g, "mediaType", d.mediaType(), true);
        string(g, "digest", d.digest(), true);
        g.writeNumberField("size", d.size());
        if (d.urls() != null && !d.urls().isEmpty()) {
            strings(g, "urls", d.urls());
        }
        if (d.annotations() != null && !d.annotations().isEmpty()) {
            stringMap(g, "annotations", d.annotations());
        }
        Platform p = d.platform();
        if (p != null) {
            g.writeObjectFieldStart("platform");
            string(g, "architecture", p.architecture(), false);
            string(g, "os", p.os(), false);
            string(g, "os.version", p.osVersion(), false);
            if (p.osFeatures() != null) {
                strings(g, "os.features", p.osFeatures());
            }
            string(g, "variant", p.variant(), false);
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** The field unless {@code value} is null (or empty, when {@code skipEmpty}). */
    private static void string(JsonGenerator g, String field, String value, boolean skipEmpty) throws IOException {
        if (value != null && !(skipEmpty && value.isEmpty())) {
            g.writeStringField(field, value);
        }
    }

    private static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v); // a null entry as null, as the mapper writes it
        }
        g.writeEndArray();
    }

    private static void stringMap(JsonGenerator g, String field, Map<String, String> values) throws IOException {
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, String> e : values.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    /**
     * The index in {@code bytes} (JSON in UTF-8, -16 or -32).
     *
     * @throws IOException (a {@link com.fasterxml.jackson.core.JsonParseException}) when it is no JSON or no image
     *     index; the message names the field ({@code manifests[2].size}), what it must be and what is there
     */
    public static ImageIndex read(byte[] bytes) throws IOException {
        try (JsonParser parser = FACTORY.createParser(bytes)) {
            return IndexReader.read(parser);
        }
    }
}
