package dev.jpull.spi;

import java.util.Objects;

/**
 * Content a {@link Destination} is asked about or given: a blob (config, layer) or a manifest, named by its
 * digest ({@code sha256:<hex>}, or another algorithm the registry used) with the size and media type of the
 * descriptor that referenced it. The digest is checked to be well-formed before a pull builds one.
 */
public record BlobDescriptor(String mediaType, String digest, long size) {
    public BlobDescriptor {
        Objects.requireNonNull(digest, "digest");
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size + " of " + digest);
        }
    }
}
