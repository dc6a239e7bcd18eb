package dev.jpull.internal.oci;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a manifest or index received from a registry and validates it as the OCI image spec and containerd require,
 * without Jackson's data binding (which would coerce {@code "1093602"} and {@code 1093602.5} to a long and speak
 * of creator properties in its errors):
 * <ul>
 *   <li>{@code schemaVersion} is the integer 2 (1 is Docker schema 1, refused as such);</li>
 *   <li>an image manifest has a {@code config} descriptor and an array of {@code layers} (absent means none), and no
 *       {@code manifests}; an index has an array of {@code manifests} and no {@code config} or {@code layers}
 *       (containerd's rule against documents that are both);</li>
 *   <li>every descriptor has a {@code mediaType} (RFC 6838 name), a valid digest of a supported algorithm
 *       ({@link Digests}) and a {@code size} that is a non-negative Go {@code int64} (no string, no fraction, no
 *       exponent, no more than 2^63-1: what containerd's {@code encoding/json} accepts);</li>
 *   <li>{@code urls}, {@code annotations} and {@code platform} fields have their Go types when present.</li>
 * </ul>
 * Duplicate keys are refused anywhere in the document. Go's {@code encoding/json} keeps the last of duplicate keys
 * (and merges duplicate objects), so a manifest with duplicates means different things to different parsers;
 * real manifests never have them, so jpull refuses the ambiguity instead of guessing (likewise for keys that
 * differ from a field only in letter case, see {@link JsonFields}). Trailing content after the document is refused,
 * as {@code encoding/json} refuses it. Unknown fields are ignored, as in Go.
 */
public final class ManifestParser {
    private static final String RESTRICTED_NAME = "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}";
    private static final Pattern MEDIA_TYPE = Pattern.compile(RESTRICTED_NAME + "/" + RESTRICTED_NAME);

    private static final Set<String> MANIFEST_FIELDS = Set.of("schemaVersion", "mediaType", "config", "layers",
            "manifests", "annotations");
    private static final Set<String> INDEX_FIELDS = Set.of("schemaVersion", "mediaType", "manifests", "config",
            "layers", "annotations");
    private static final Set<String> DESCRIPTOR_FIELDS = Set.of("mediaType", "digest", "size", "urls",
            "annotations", "platform");
    private static final Set<String> PLATFORM_FIELDS = Set.of("architecture", "os", "os.version", "os.features",
            "variant");

    private ManifestParser() {
    }

    /**
     * Parses and validates {@code bytes}.
     *
     * @param contentType the response's {@code Content-Type}, used when the body has no {@code mediaType}
     * @throws InvalidManifestException naming what is wrong (field path, expected type, what was there)
     */
    public static ManifestDocument parse(byte[] bytes, String contentType) throws InvalidManifestException {
        JsonNode root = tree(bytes);
        if (root == null || !root.isObject()) {
            throw new InvalidManifestException("manifest body is not a JSON object");
        }
        JsonNode declared = root.get("mediaType");
        if (declared != null && !declared.isNull() && !declared.isTextual()) {
            throw JsonFields.wrongType("mediaType", "a string", declared);
        }
        String type = declared == null || declared.isNull() ? null : declared.textValue();
        if (type == null || type.isEmpty()) {
            type = contentType == null ? null : contentType.split(";", 2)[0].trim();
        }
        if (type == null || type.isEmpty()) {
            // An OCI manifest may omit mediaType; tell it apart from an index by its fields.
            type = root.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
        }
        JsonNode version = root.get("schemaVersion");
        if (MediaTypes.isSchema1(type) || version != null && version.isIntegralNumber() && version.asLong() == 1) {
            throw new InvalidManifestException(
                    "Docker schema 1 manifests are not supported (deprecated since 2017); rebuild the image");
        }
        if (!MediaTypes.isIndex(type) && !MediaTypes.isImageManifest(type)) {
            throw new InvalidManifestException("unsupported manifest media type " + JsonFields.shown(type));
        }
        boolean isIndex = MediaTypes.isIndex(type);
        try {
            if (isIndex) {
                return new ManifestDocument(type, index(JsonFields.of(root, "", "an index", INDEX_FIELDS), type),
                        null);
            }
            return new ManifestDocument(type, null,
                    manifest(JsonFields.of(root, "", "a manifest", MANIFEST_FIELDS), type));
        } catch (InvalidManifestException e) {
            throw new InvalidManifestException("invalid " + (isIndex ? "index" : "image manifest") + ": "
                    + e.getMessage());
        }
    }

    private static JsonNode tree(byte[] bytes) throws InvalidManifestException {
        try {
            return JsonTrees.readStrict(bytes);
        } catch (JsonParseException e) {
            String message = e.getOriginalMessage();
            if (message != null && message.startsWith("Duplicate ")) {
                throw new InvalidManifestException("manifest has a duplicate key " + quotedName(message)
                        + objectPath(e) + where(e)
                        + ": containerd would use the last one; refusing an ambiguous manifest");
            }
            throw new InvalidManifestException("manifest body is not JSON" + where(e));
        } catch (JsonProcessingException e) {
            throw new InvalidManifestException("manifest body is not JSON" + where(e));
        } catch (IOException e) {
            throw new InvalidManifestException("manifest body is not JSON");
        }
    }

    private static String quotedName(String message) {
        int start = message.indexOf('\'');
        int end = message.lastIndexOf('\'');
        return start >= 0 && end > start ? "\"" + JsonFields.shown(message.substring(start + 1, end)) + "\"" : "";
    }

    /** {@code in layers[0]} for the object the parser was in (Jackson's JSON pointer in the manifest's terms). */
    private static String objectPath(JsonParseException e) {
        var parser = e.getProcessor();
        if (parser == null) {
            return "";
        }
        var context = parser.getParsingContext().getParent(); // the object holding the duplicate
        String pointer = context == null ? "" : context.pathAsPointer().toString();
        StringBuilder path = new StringBuilder();
        for (String part : pointer.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            String name = part.replace("~1", "/").replace("~0", "~");
            if (name.chars().allMatch(Character::isDigit)) {
                path.append('[').append(name).append(']');
            } else {
                path.append(path.length() == 0 ? "" : ".").append(JsonFields.shown(name));
            }
        }
        return path.length() == 0 ? "" : " in " + path;
    }

    private static String where(JsonProcessingException e) {
        var loc = e.getLocation();
        return loc == null || loc.getLineNr() < 0 ? "" : " (line " + loc.getLineNr() + ", column "
                + loc.getColumnNr() + ")";
    }

    private static ImageManifest manifest(JsonFields root, String type) throws InvalidManifestException {
        int version = schemaVersion(root);
        if (root.has("manifests")) {
            throw new InvalidManifestException("an image manifest (" + type + ") must not have \"manifests\" "
                    + "(it would be an index too); refusing an ambiguous manifest");
        }
        if (!root.has("config")) {
            throw root.missing("config", "the config descriptor");
        }
        Descriptor config = descriptor(root.get("config"), root.path("config"));
        List<Descriptor> layers = new ArrayList<>();
        List<JsonNode> items = root.array("layers");
        for (int i = 0; i < items.size(); i++) {
            layers.add(descriptor(items.get(i), root.path("layers") + "[" + i + "]"));
        }
        root.stringMap("annotations");
        return new ImageManifest(version, type, config, List.copyOf(layers));
    }

    private static ImageIndex index(JsonFields root, String type) throws InvalidManifestException {
        int version = schemaVersion(root);
        for (String field : List.of("config", "layers")) {
            if (root.has(field)) {
                throw new InvalidManifestException("an index (" + type + ") must not have \"" + field
                        + "\" (it would be an image manifest too); refusing an ambiguous manifest");
            }
        }
        if (!root.has("manifests")) {
            throw root.missing("manifests", "an array of manifest descriptors");
        }
        List<Descriptor> children = new ArrayList<>();
        List<JsonNode> items = root.array("manifests");
        for (int i = 0; i < items.size(); i++) {
            children.add(descriptor(items.get(i), root.path("manifests") + "[" + i + "]"));
        }
        return new ImageIndex(version, type, List.copyOf(children), root.stringMap("annotations"));
    }

    private static int schemaVersion(JsonFields root) throws InvalidManifestException {
        long version = root.integer("schemaVersion");
        if (version != 2) {
            throw new InvalidManifestException("schemaVersion: expected 2, got " + version);
        }
        return 2;
    }

    private static Descriptor descriptor(JsonNode node, String path) throws InvalidManifestException {
        JsonFields d = JsonFields.of(node, path, "a descriptor", DESCRIPTOR_FIELDS);
        String mediaType = d.string("mediaType", true);
        if (!MEDIA_TYPE.matcher(mediaType).matches()) {
            throw new InvalidManifestException(d.path("mediaType") + ": \"" + JsonFields.shown(mediaType)
                    + "\" is not a media type (RFC 6838 type/subtype)");
        }
        String digest = d.string("digest", true);
        String problem = Digests.problem(digest);
        if (problem != null) {
            throw new InvalidManifestException(d.path("digest") + ": \"" + JsonFields.shown(digest) + "\": "
                    + problem);
        }
        long size = d.size("size");
        List<String> urls = d.strings("urls");
        return new Descriptor(mediaType, digest, size, urls.isEmpty() ? null : urls, d.stringMap("annotations"),
                platform(d));
    }

    private static Platform platform(JsonFields descriptor) throws InvalidManifestException {
        JsonNode node = descriptor.get("platform");
        if (node == null) {
            return null;
        }
        JsonFields p = JsonFields.of(node, descriptor.path("platform"), "a platform", PLATFORM_FIELDS);
        List<String> features = p.strings("os.features");
        return new Platform(p.string("architecture", false), p.string("os", false), p.string("os.version", false),
                features.isEmpty() ? null : features, p.string("variant", false));
    }
}
