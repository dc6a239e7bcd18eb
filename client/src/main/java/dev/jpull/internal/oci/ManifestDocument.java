package dev.jpull.internal.oci;

/**
 * A validated manifest: an image index (or Docker manifest list) or an image manifest, never both.
 *
 * @param mediaType the document's media type (from its {@code mediaType}, else {@code Content-Type}, else its
 *                  fields)
 * @param index     the index, or null for an image manifest
 * @param manifest  the image manifest, or null for an index
 */
public record ManifestDocument(String mediaType, ImageIndex index, ImageManifest manifest) {

    /** True for an image index or a Docker manifest list. */
    public boolean isIndex() {
        return index != null;
    }
}
