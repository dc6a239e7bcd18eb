package dev.jpull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.ImageManifest;
import dev.jpull.internal.oci.InvalidManifestException;
import dev.jpull.internal.oci.JsonTrees;
import dev.jpull.internal.oci.ManifestDocument;
import dev.jpull.internal.oci.ManifestParser;
import dev.jpull.internal.pull.Inspected;
import dev.jpull.internal.pull.PlatformMatcher;
import dev.jpull.internal.registry.FetchedManifest;
import dev.jpull.internal.store.OciStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link Jpull#inspect} and {@link Jpull#inspectStored}: a manifest and its config as an {@link InspectResult}. */
final class Inspections {
    private Inspections() {
    }

    /** What {@code in} (fetched from {@code endpoint}) says of {@code reference}. */
    static InspectResult of(ImageReference reference, Inspected in, String endpoint, List<Attempt> attempts) {
        FetchedManifest top = in.top();
        FetchedManifest image = in.image();
        return new InspectResult(reference.toString(), top.digest(), top.mediaType(), top.bytes(),
                platforms(top.document()), image == null ? null : image.digest(),
                image == null ? null : image.mediaType(), in.config(),
                image == null || in.config() == null ? null : info(image.document().manifest(), in.config()),
                endpoint, attempts);
    }

    /**
     * The image {@code image} names in {@code store} (a pulled reference, as stored or normalised), without
     * network: the manifest its {@code index.json} entry points at (for jpull's pulls the platform image); an entry
     * pointing at an index is walked to {@code platform}'s image, which must be in the store too.
     */
    static InspectResult stored(OciStore store, String image, PlatformMatcher platform) {
        Map<String, Descriptor> refs = store == null ? Map.of() : store.references();
        String name = refs.containsKey(image) ? image : ImageReference.parse(image).toString();
        Descriptor entry = refs.get(name);
        if (entry == null) {
            throw new NoSuchImageException("not in the store: " + name + " (pull it first, or inspect it "
                    + "without --store)");
        }
        byte[] top = read(store, name, entry.digest());
        ManifestDocument topDoc = parse(store, name, entry.digest(), top, entry.mediaType());
        byte[] imageBytes = top;
        String imageDigest = entry.digest();
        ManifestDocument imageDoc = topDoc;
        if (topDoc.isIndex()) {
            Descriptor child = platform.select(topDoc.index().manifests()).orElseThrow(() ->
                    new NoSuchImageException(name + ": no image for platform " + platform.describe()
                            + " in its index " + entry.digest() + " (available: "
                            + String.join(", ", platforms(topDoc)) + ")"));
            imageDigest = child.digest();
            imageBytes = read(store, name, imageDigest);
            imageDoc = parse(store, name, imageDigest, imageBytes, child.mediaType());
            if (imageDoc.isIndex()) {
                throw new NoSuchImageException(name + ": nested index " + imageDigest + " (inspect it by digest)");
            }
        }
        byte[] config = read(store, name, imageDoc.manifest().config().digest());
        return new InspectResult(name, entry.digest(), topDoc.mediaType(), top, platforms(topDoc), imageDigest,
                imageDoc.mediaType(), config, info(imageDoc.manifest(), config), null, List.of());
    }

    private static byte[] read(OciStore store, String name, String digest) {
        byte[] bytes;
        try {
            bytes = store.readBlob(digest);
        } catch (UncheckedIOException e) {
            throw new NoSuchImageException("the store lacks blob " + digest + " of " + name + " (pull it again)");
        }
        if (!Digests.sameAlgorithm(digest, bytes).equals(digest)) {
            throw new StoreException("blob " + digest + " of " + name + " in " + store.root()
                    + " does not have that digest (run 'jpull verify " + name + "')");
        }
        return bytes;
    }

    private static ManifestDocument parse(OciStore store, String name, String digest, byte[] bytes, String type) {
        try {
            return ManifestParser.parse(bytes, type);
        } catch (InvalidManifestException e) {
            throw new StoreException("manifest " + digest + " of " + name + " in " + store.root() + ": "
                    + e.getMessage());
        }
    }

    /** The platforms an index lists, in its order; empty for an image manifest. */
    static List<String> platforms(ManifestDocument doc) {
        List<String> out = new ArrayList<>();
        if (doc.isIndex()) {
            for (Descriptor d : doc.index().manifests()) {
                out.add(d.platform() == null ? "unknown" : d.platform().toString());
            }
        }
        return out;
    }

    /** The summary of {@code manifest} and its {@code config} bytes; fields the config lacks are null or empty. */
    static ImageInfo info(ImageManifest manifest, byte[] config) {
        JsonNode root;
        try {
            root = JsonTrees.read(config);
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            root = JsonTrees.object(); // an artifact's config, or not JSON: nothing to show
        }
        JsonNode c = root.path("config");
        List<ImageLayer> layers = new ArrayList<>();
        for (Descriptor d : manifest.layers()) {
            layers.add(new ImageLayer(d.digest(), d.size(), d.mediaType(), d.annotations()));
        }
        return new ImageInfo(manifest.config().digest(), text(root, "created"), text(root, "author"),
                text(root, "docker_version"), text(root, "architecture"), text(root, "os"), text(root, "variant"),
                strings(c, "Env"), strings(c, "Entrypoint"), strings(c, "Cmd"), text(c, "WorkingDir"),
                text(c, "User"), labels(c), layers);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    private static List<String> strings(JsonNode node, String field) {
        List<String> out = new ArrayList<>();
        JsonNode v = node.get(field);
        if (v != null && v.isArray()) {
            v.forEach(e -> {
                if (e.isTextual()) {
                    out.add(e.textValue());
                }
            });
        }
        return out;
    }

    private static Map<String, String> labels(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode v = node.get("Labels");
        if (v != null && v.isObject()) {
            v.fields().forEachRemaining(e -> {
                if (e.getValue().isTextual()) {
                    out.put(e.getKey(), e.getValue().textValue());
                }
            });
        }
        return out;
    }
}
