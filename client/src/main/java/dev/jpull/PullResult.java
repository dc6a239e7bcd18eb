package dev.jpull;

import java.util.List;

/**
 * The result of a pull (docs/interface.md, JSON output of {@code jpull pull -o json}).
 *
 * @param reference       normalised reference, e.g. {@code docker.io/library/alpine:latest}
 * @param digest          digest of the manifest the reference resolved to (the index for a multi-platform tag)
 * @param manifestDigest  digest of the platform image manifest that was pulled
 * @param imageId         digest of the image config blob
 * @param platform        e.g. {@code linux/amd64}
 * @param endpoint        base URL of the endpoint that served the manifest
 * @param blobs           config first, then layers in manifest order
 * @param attempts        failed requests, and successes after a failure
 * @param bytesDownloaded bytes received over the network
 * @param durationMs      wall time of the pull
 */
public record PullResult(String reference, String digest, String manifestDigest, String imageId, String platform,
                         String endpoint, List<BlobResult> blobs, List<Attempt> attempts, long bytesDownloaded,
                         long durationMs) {
    public PullResult {
        blobs = List.copyOf(blobs);
        attempts = List.copyOf(attempts);
    }
}
