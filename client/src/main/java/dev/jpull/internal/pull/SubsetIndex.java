package dev.jpull.internal.pull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.InvalidManifestException;
import dev.jpull.internal.oci.JsonTrees;
import dev.jpull.internal.oci.ManifestParser;
import dev.jpull.internal.oci.Platform;
import dev.jpull.internal.registry.FetchedManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The index of some of an index's images, for a pull of the platforms named ({@code --platform} repeated) where
 * the registry's index lists more: one level (nested indexes flattened), the registry's top-level media type, and
 * each image's entry copied as the index that listed it has it (annotations and all), with the platform of the
 * nearest entry above it when its own has none. Deterministic, so pulling the same platforms again records the
 * same index. A store naming it holds everything it lists, which the registry's index would not.
 */
final class SubsetIndex {
    private SubsetIndex() {
    }

    static FetchedManifest of(FetchedManifest top, List<IndexWalker.Resolved> images) {
        ObjectNode index = JsonTrees.object();
        index.put("schemaVersion", 2);
        index.put("mediaType", top.mediaType());
        ArrayNode manifests = index.putArray("manifests");
        for (IndexWalker.Resolved r : images) {
            FetchedManifest parent = r.indexes().get(r.indexes().size() - 1);
            ObjectNode entry = entry(parent, r.image().value().digest());
            if (entry.get("platform") == null && r.platform() != null) {
                entry.set("platform", platform(r.platform()));
            }
            manifests.add(entry);
        }
        try {
            byte[] bytes = JsonTrees.bytes(index);
            return new FetchedManifest(bytes, Digests.sha256(bytes), ManifestParser.parse(bytes, top.mediaType()));
        } catch (InvalidManifestException e) {
            throw new IllegalStateException("the index of the platforms pulled is invalid: " + e.getMessage(), e);
        }
    }

    /** {@code p} as the index's {@code platform} object (OCI field names and order; unset fields left out). */
    private static ObjectNode platform(Platform p) {
        ObjectNode n = JsonTrees.object();
        putIfSet(n, "architecture", p.architecture());
        putIfSet(n, "os", p.os());
        putIfSet(n, "os.version", p.osVersion());
        if (p.osFeatures() != null) {
            ArrayNode features = n.putArray("os.features");
            p.osFeatures().forEach(features::add);
        }
        putIfSet(n, "variant", p.variant());
        return n;
    }

    private static void putIfSet(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    /** A copy of the entry of {@code parent} (a validated index) for {@code digest}. */
    private static ObjectNode entry(FetchedManifest parent, String digest) {
        try {
            for (JsonNode e : JsonTrees.read(parent.bytes()).path("manifests")) {
                if (digest.equals(e.path("digest").asText())) {
                    return ((ObjectNode) e).deepCopy();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("index " + parent.digest() + " does not list " + digest);
    }
}
