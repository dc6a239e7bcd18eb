package dev.jpull.internal.registry;

import dev.jpull.internal.oci.ManifestDocument;

/**
 * A manifest or index exactly as received, and what it says (validated).
 *
 * @param bytes    the body, byte-exact (its digest is {@code digest})
 * @param digest   the requested digest when fetched by digest (in its algorithm), else {@code sha256:} of
 *                 {@code bytes}
 * @param document the parsed and validated manifest or index
 */
public record FetchedManifest(byte[] bytes, String digest, ManifestDocument document) {

    /** The manifest's media type (from the body's {@code mediaType}, else {@code Content-Type}). */
    public String mediaType() {
        return document.mediaType();
    }
}
