package dev.jpull.internal.store;

import dev.jpull.StoreException;
import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.ImageIndex;
import dev.jpull.internal.oci.ImageManifest;
import dev.jpull.internal.oci.InvalidManifestException;
import dev.jpull.internal.oci.JsonTrees;
import dev.jpull.internal.oci.ManifestDocument;
import dev.jpull.internal.oci.ManifestParser;
import dev.jpull.internal.oci.MediaTypes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads what an {@code index.json} entry refers to: the manifest, then its config and layers, or, for an index,
 * each child recursively. Blob contents other than manifests and the config (for its platform) are not read.
 */
public final class ImageGraph {
    private static final int MAX_DEPTH = 4;

    private ImageGraph() {
    }

    /** Thrown when a manifest the entry needs is missing from the store or is not a manifest. */
    public static final class BrokenImageException extends RuntimeException {
        BrokenImageException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The image {@code entry} (named {@code reference}) refers to.
     *
     * @throws BrokenImageException when a manifest is missing or malformed
     */
    public static StoredImage read(OciStore store, String reference, Descriptor entry) {
        Set<String> blobs = new LinkedHashSet<>();
        blobs.add(Digests.requireValid(entry.digest()));
        if (MediaTypes.isIndex(entry.mediaType())) {
            Set<String> platforms = new LinkedHashSet<>();
            walkIndex(store, entry.digest(), blobs, platforms, 1);
            return new StoredImage(reference, entry, null, List.of(), new ArrayList<>(blobs),
                    entry.platform() == null ? null : entry.platform().toString(), new ArrayList<>(platforms));
        }
        ImageManifest manifest = parse(store, entry.digest(), ImageManifest.class);
        if (manifest.config() == null) {
            throw new BrokenImageException("manifest " + entry.digest() + " has no config", null);
        }
        List<Descriptor> layers = manifest.layers() == null ? List.of() : manifest.layers();
        blobs.add(Digests.requireValid(manifest.config().digest()));
        for (Descriptor layer : layers) {
            blobs.add(Digests.requireValid(layer.digest()));
        }
        String platform = entry.platform() != null ? entry.platform().toString()
                : configPlatform(store, manifest.config().digest());
        return new StoredImage(reference, entry, manifest.config(), layers, new ArrayList<>(blobs), platform,
                List.of());
    }

    /** Adds the blobs of index {@code digest} to {@code blobs} and the platforms of its images to {@code platforms}. */
    private static void walkIndex(OciStore store, String digest, Set<String> blobs, Set<String> platforms,
                                  int depth) {
        if (depth > MAX_DEPTH) {
            throw new BrokenImageException("index " + digest + " nests deeper than " + MAX_DEPTH, null);
        }
        ImageIndex index = parse(store, digest, ImageIndex.class);
        for (Descriptor child : index.manifests() == null ? List.<Descriptor>of() : index.manifests()) {
            if (!MediaTypes.isIndex(child.mediaType()) && child.platform() != null
                    && !"unknown/unknown".equals(child.platform().toString())) {
                platforms.add(child.platform().toString());
            }
            if (!blobs.add(Digests.requireValid(child.digest()))) {
                continue;
            }
            if (MediaTypes.isIndex(child.mediaType())) {
                walkIndex(store, child.digest(), blobs, platforms, depth + 1);
            } else if (MediaTypes.isImageManifest(child.mediaType())) {
                ImageManifest m = parse(store, child.digest(), ImageManifest.class);
                if (m.config() != null) {
                    blobs.add(Digests.requireValid(m.config().digest()));
                }
                if (m.layers() != null) {
                    m.layers().forEach(l -> blobs.add(Digests.requireValid(l.digest())));
                }
            }
        }
    }

    private static <T> T parse(OciStore store, String digest, Class<T> type) {
        byte[] bytes;
        try {
            bytes = store.readBlob(digest);
        } catch (StoreException e) {
            throw new BrokenImageException("manifest " + digest + " cannot be read: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new BrokenImageException("manifest " + digest + " is missing from the store", e);
        }
        ManifestDocument document;
        try {
            document = ManifestParser.parse(bytes, null);
        } catch (InvalidManifestException e) {
            throw new BrokenImageException("blob " + digest + " is not a valid manifest: " + e.getMessage(), e);
        }
        Object value = type == ImageIndex.class ? document.index() : document.manifest();
        if (value == null) {
            throw new BrokenImageException("blob " + digest + " is " + (document.isIndex() ? "an index" : "an image "
                    + "manifest") + " where the store expects " + (type == ImageIndex.class ? "an index" : "an image "
                    + "manifest"), null);
        }
        return type.cast(value);
    }

    /** {@code os/arch[/variant]} from the config blob, or null when it cannot be read. */
    private static String configPlatform(OciStore store, String configDigest) {
        try {
            var node = JsonTrees.read(store.readBlob(configDigest));
            String os = node.path("os").asText("");
            String arch = node.path("architecture").asText("");
            if (os.isEmpty() || arch.isEmpty()) {
                return null;
            }
            String variant = node.path("variant").asText("");
            return os + "/" + arch + (variant.isEmpty() ? "" : "/" + variant);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
