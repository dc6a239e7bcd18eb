package dev.jpull.testdata;

import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A generated OCI image index over several platforms.
 *
 * @param layoutDir   OCI layout directory it was written to
 * @param refName     {@code org.opencontainers.image.ref.name} of the index
 * @param indexDigest digest of the index bytes (what {@code skopeo inspect} prints as Digest)
 * @param indexSize   index size in bytes
 * @param children    per-platform images, in index order
 */
public record MultiPlatformImage(Path layoutDir, String refName, String indexDigest, long indexSize,
                                 List<Image> children) {

    /** The child for a platform string such as {@code linux/arm/v7}. */
    public Image child(String platform) {
        return children.stream().filter(c -> c.platform().equals(platform)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no child for platform " + platform));
    }

    /** Platform strings in index order. */
    public List<String> platforms() {
        return children.stream().map(Image::platform).toList();
    }
}
