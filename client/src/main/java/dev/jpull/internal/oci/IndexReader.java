package dev.jpull.internal.oci;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link IndexCodec#read}: one image index from a streaming parser, token by token, with the rules described there.
 * Errors name the field by its path ({@code manifests[2].platform.os}), what it must be and what is there instead.
 */
final class IndexReader {
    private static final int MAX_SHOWN = 40;

    private final JsonParser p;

    private IndexReader(JsonParser p) {
        this.p = p;
    }

    /** The one image index {@code parser} holds; content after it is refused. */
    static ImageIndex read(JsonParser parser) throws IOException {
        IndexReader r = new IndexReader(parser);
        parser.nextToken();
        ImageIndex index = r.index();
        if (parser.nextToken() != null) {
            throw new JsonParseException(parser, "content after the image index: " + r.got());
        }
        return index;
    }

    private ImageIndex index() throws IOException {
        start(JsonToken.START_OBJECT, "", false, "an image index (a JSON object)");
        Long schemaVersion = null;
        String mediaType = null;
        List<Descriptor> manifests = null;
        Map<String, String> annotations = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "schemaVersion" -> schemaVersion = integer(f, Integer.MIN_VALUE, Integer.MAX_VALUE);
                case "mediaType" -> mediaType = string(f);
                case "manifests" -> manifests = descriptors(f);
                case "annotations" -> annotations = stringMap(f);
                default -> p.skipChildren();
            }
        }
        return new ImageIndex(required(schemaVersion, "schemaVersion").intValue(), mediaType, manifests, annotations);
    }

    private List<Descriptor> descriptors(String at) throws IOException {
        if (!start(JsonToken.START_ARRAY, at, true, "an array of descriptors")) {
            return null;
        }
        List<Descriptor> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            out.add(descriptor(at + "[" + out.size() + "]"));
        }
        return Collections.unmodifiableList(out);
    }

    private Descriptor descriptor(String at) throws IOException {
        start(JsonToken.START_OBJECT, at, false, "a descriptor (a JSON object)");
        String mediaType = null;
        String digest = null;
        Long size = null;
        List<String> urls = null;
        Map<String, String> annotations = null;
        Platform platform = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            String f = at + "." + name;
            p.nextToken();
            switch (name) {
                case "mediaType" -> mediaType = string(f);
                case "digest" -> digest = string(f);
                case "size" -> size = integer(f, Long.MIN_VALUE, Long.MAX_VALUE);
                case "urls" -> urls = strings(f);
                case "annotations" -> annotations = stringMap(f);
                case "platform" -> platform = platform(f);
                default -> p.skipChildren();
            }
        }
        return new Descriptor(mediaType, digest, required(size, at + ".size"), urls, annotations, platform);
    }

    private Platform platform(String at) throws IOException {
        if (!start(JsonToken.START_OBJECT, at, true, "a platform (a JSON object)")) {
            return null;
        }
        String architecture = null;
        String os = null;
        String osVersion = null;
        List<String> osFeatures = null;
        String variant = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            String f = at + "." + name;
            p.nextToken();
            switch (name) {
                case "architecture" -> architecture = string(f);
                case "os" -> os = string(f);
                case "os.version" -> osVersion = string(f);
                case "os.features" -> osFeatures = strings(f);
                case "variant" -> variant = string(f);
                default -> p.skipChildren();
            }
        }
        return new Platform(architecture, os, osVersion, osFeatures, variant);
    }

    /** A string, or null for {@code null}. */
    private String string(String at) throws IOException {
        return start(JsonToken.VALUE_STRING, at, true, "a string") ? p.getText() : null;
    }

    /** An integer literal in {@code [min, max]}; not {@code null}, as the record component is a primitive. */
    private Long integer(String at, long min, long max) throws IOException {
        start(JsonToken.VALUE_NUMBER_INT, at, false, "an integer");
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER || p.getLongValue() < min
                || p.getLongValue() > max) {
            throw new JsonParseException(p, at + ": " + got() + " is out of range [" + min + ", " + max + "]");
        }
        return p.getLongValue();
    }

    /** {@code value}, which the mapper (failing on a missing primitive) required as well. */
    private <T> T required(T value, String at) throws JsonParseException {
        if (value == null) {
            throw new JsonParseException(p, at + ": missing (expected an integer)");
        }
        return value;
    }

    /** An array of strings, or null for {@code null}. */
    private List<String> strings(String at) throws IOException {
        if (!start(JsonToken.START_ARRAY, at, true, "an array of strings")) {
            return null;
        }
        List<String> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw wrongType(at + "[" + out.size() + "]", "a string");
            }
            out.add(p.getText());
        }
        return Collections.unmodifiableList(out);
    }

    /** An object of string values (in their order), or null for {@code null}. */
    private Map<String, String> stringMap(String at) throws IOException {
        if (!start(JsonToken.START_OBJECT, at, true, "an object of strings")) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw wrongType(at + "[\"" + shown(key) + "\"]", "a string");
            }
            out.put(key, p.getText());
        }
        return Collections.unmodifiableMap(out);
    }

    /** True at {@code expected}, false at {@code null} when {@code nullable}; anything else is refused. */
    private boolean start(JsonToken expected, String at, boolean nullable, String what) throws IOException {
        JsonToken t = p.currentToken();
        if (t == expected) {
            return true;
        }
        if (nullable && t == JsonToken.VALUE_NULL) {
            return false;
        }
        throw wrongType(at, what);
    }

    private JsonParseException wrongType(String at, String expected) throws IOException {
        return new JsonParseException(p, (at.isEmpty() ? "the document" : at) + ": expected " + expected + ", got "
                + got());
    }

    /** What the current token is: {@code a string "12"}, {@code the number 1.5}, {@code an object}, ... */
    private String got() throws IOException {
        JsonToken t = p.currentToken();
        return t == null ? "nothing" : switch (t) {
            case VALUE_STRING -> "a string \"" + shown(p.getText()) + "\"";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + shown(p.getText());
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> p.getText(); // true, false, null
        };
    }

    private static String shown(String s) {
        return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN) + "...";
    }
}
