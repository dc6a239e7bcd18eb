package dev.jpull.spi;

import java.util.List;
import java.util.Objects;

/**
 * An image index a pull walked through on its way to the image manifest, as {@link PulledImage#indexes()} gives it:
 * the index's descriptor, its exact bytes (already verified against the digest, and small: an index is bounded
 * like every manifest), and the descriptors it lists. A destination that records an image under its top-level
 * descriptor, as containerd does, stores the bytes and references the children; the OCI store ignores it.
 *
 * @param index     the index's descriptor (media type, digest, size of {@code bytes})
 * @param bytes     the index document as the registry served it
 * @param manifests the descriptors the index lists, in its order (platform manifests, nested indexes)
 */
public record PulledIndex(BlobDescriptor index, byte[] bytes, List<BlobDescriptor> manifests) {
    public PulledIndex {
        Objects.requireNonNull(index, "index");
        bytes = bytes.clone();
        if (bytes.length != index.size()) {
            throw new IllegalArgumentException("index " + index.digest() + " has " + bytes.length
                    + " bytes, its descriptor says " + index.size());
        }
        manifests = List.copyOf(manifests);
    }

    /** A copy of the index's bytes. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PulledIndex other && index.equals(other.index) && manifests.equals(other.manifests);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, manifests);
    }

    @Override
    public String toString() {
        return "PulledIndex[" + index.digest() + ", " + manifests.size() + " manifests]";
    }
}
