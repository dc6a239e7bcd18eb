package dev.jpull.spi;

import java.util.List;
import java.util.Objects;

/**
 * A pulled image as {@link Destination#recordImage} receives it: every blob named here is already committed.
 *
 * @param reference the normalised reference that was pulled ({@code docker.io/library/alpine:3.20}), the name to
 *                  record it under
 * @param manifest  the image manifest the reference now points at (for a multi-platform image: the one chosen
 *                  from the index)
 * @param platform  the platform of the index entry that was chosen, null when the reference named a manifest
 * @param config    the manifest's config blob
 * @param layers    the manifest's layers in order
 * @param indexes   the indexes above the manifest, the top-level one (what the reference named) first and the one
 *                  that listed the manifest last; empty when the reference named a manifest. The pull does not
 *                  store them: a destination that records the image under its top-level descriptor does.
 */
public record PulledImage(String reference, BlobDescriptor manifest, ImagePlatform platform, BlobDescriptor config,
                          List<BlobDescriptor> layers, List<PulledIndex> indexes) {
    public PulledImage {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(config, "config");
        layers = List.copyOf(layers);
        indexes = indexes == null ? List.of() : List.copyOf(indexes);
    }

    /** An image whose reference named its manifest directly (no index). */
    public PulledImage(String reference, BlobDescriptor manifest, ImagePlatform platform, BlobDescriptor config,
                       List<BlobDescriptor> layers) {
        this(reference, manifest, platform, config, layers, List.of());
    }

    /** What the reference names: the top-level index, or the manifest when there is none. */
    public BlobDescriptor top() {
        return indexes.isEmpty() ? manifest : indexes.get(0).index();
    }
}
