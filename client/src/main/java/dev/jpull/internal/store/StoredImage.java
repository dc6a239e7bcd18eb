package dev.jpull.internal.store;

import dev.jpull.internal.oci.Descriptor;
import java.util.List;

/**
 * One named entry of the store's {@code index.json} with the content it refers to.
 *
 * @param reference the entry's {@code org.opencontainers.image.ref.name} (jpull: the normalised reference)
 * @param entry     the entry's descriptor (the manifest it points at)
 * @param config    the image config, or null when the entry points at an index
 * @param layers    the image's layers in manifest order (empty for an index)
 * @param blobs     every digest the entry needs, without duplicates: the manifest first, then config and layers
 *                  (for an index: each child manifest followed by its blobs)
 * @param platform  {@code os/arch[/variant]} from the entry or, failing that, from the config; null when unknown
 * @param platforms for an index: the platforms of its images (nested indexes followed), in order, each once,
 *                  build attestations ({@code unknown/unknown}) left out; empty for an image
 */
public record StoredImage(String reference, Descriptor entry, Descriptor config, List<Descriptor> layers,
                          List<String> blobs, String platform, List<String> platforms) {
    public StoredImage {
        layers = List.copyOf(layers);
        blobs = List.copyOf(blobs);
        platforms = List.copyOf(platforms);
    }

    /** True for an entry pointing at a single image manifest (the only kind jpull pulls). */
    public boolean isImage() {
        return config != null;
    }

    /** Sum of config and layer sizes (compressed, as stored); 0 for an index. */
    public long size() {
        return config == null ? 0 : config.size() + layers.stream().mapToLong(Descriptor::size).sum();
    }
}
