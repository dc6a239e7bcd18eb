package dev.jpull.registry;

/**
 * A manifest or index exactly as received.
 *
 * @param bytes     the body, byte-exact (its SHA-256 is the digest)
 * @param digest    {@code sha256:} of {@code bytes}
 * @param mediaType the manifest's media type (from the body's {@code mediaType}, else {@code Content-Type})
 */
public record FetchedManifest(byte[] bytes, String digest, String mediaType) {
}
