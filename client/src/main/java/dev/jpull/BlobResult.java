package dev.jpull;

/**
 * One blob of the pulled image (config or layer).
 *
 * @param endpoint base URL of the endpoint that served it, null when {@code cached}
 */
public record BlobResult(String digest, long size, String mediaType, String endpoint, boolean cached) {
}
