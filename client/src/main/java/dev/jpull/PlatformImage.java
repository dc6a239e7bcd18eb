package dev.jpull;

import java.util.List;
import java.util.Objects;

/**
 * One image of a pull: for a multi-platform pull ({@link Jpull.Builder#allPlatforms},
 * {@link Jpull.Builder#platforms}) one per platform pulled, in index order; for any other pull the one image.
 *
 * @param platform       {@code os/arch[/variant]} of the index entry that named it (or of its config), null when
 *                       unknown
 * @param manifestDigest digest of the image manifest
 * @param imageId        digest of its config blob
 * @param blobs          its config, then its layers in manifest order; a blob two platforms share is the same
 *                       result in both (it was fetched once)
 */
public record PlatformImage(String platform, String manifestDigest, String imageId, List<BlobResult> blobs) {
    public PlatformImage {
        Objects.requireNonNull(manifestDigest, "manifestDigest");
        blobs = List.copyOf(blobs);
    }
}
