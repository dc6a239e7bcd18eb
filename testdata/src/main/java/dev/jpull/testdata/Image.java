package dev.jpull.testdata;

import java.nio.file.Path;
import java.util.List;

/**
 * A generated single-platform OCI image.
 *
 * @param layoutDir      OCI layout directory it was written to
 * @param refName        {@code org.opencontainers.image.ref.name}; null for the children of an index
 * @param platform       e.g. {@code linux/amd64} or {@code linux/arm64/v8}
 * @param manifestDigest digest of the image manifest bytes
 * @param manifestSize   manifest size in bytes
 * @param configDigest   digest of the config blob (the image id)
 * @param configSize     config size in bytes
 * @param layers         layers in manifest order
 */
public record Image(Path layoutDir, String refName, String platform, String manifestDigest, long manifestSize,
                    String configDigest, long configSize, List<Layer> layers) {

    /** Layer digests in manifest order. */
    public List<String> layerDigests() {
        return layers.stream().map(Layer::digest).toList();
    }

    /** Sum of config and layer sizes (what a pull downloads besides manifests). */
    public long blobBytes() {
        return configSize + layers.stream().mapToLong(Layer::size).sum();
    }

    /** Path of a blob of this image in its layout. */
    public Path blobPath(String digest) {
        return ImageGenerator.blobPath(layoutDir, digest);
    }
}
