package dev.jpull;

import java.util.List;

/**
 * The result of a pull (docs/interface.md, JSON output of {@code jpull pull -o json}).
 *
 * @param reference       normalised reference, e.g. {@code docker.io/library/alpine:latest}
 * @param digest          digest of the manifest the reference resolved to (the index for a multi-platform tag)
 * @param manifestDigest  digest of the platform image manifest that was pulled (of a multi-platform pull: the
 *                        preferred platform's, {@link Jpull.Builder#platform}, else the first one's)
 * @param imageId         digest of the image config blob (likewise)
 * @param platform        e.g. {@code linux/amd64} (likewise)
 * @param endpoint        base URL of the endpoint that served the manifest
 * @param blobs           config first, then layers in manifest order; of a multi-platform pull every platform's,
 *                        each blob once
 * @param attempts        failed requests, and successes after a failure
 * @param bytesDownloaded bytes received over the network
 * @param durationMs      wall time of the pull
 * @param platforms       every image pulled: one for a single-platform pull, one per platform for a multi-platform
 *                        pull (in index order)
 * @param indexDigest     of a multi-platform pull of an index: what the store names under the reference, i.e.
 *                        {@code digest} when every image of the registry's index was pulled, else the digest of
 *                        an index of just the images pulled (written by jpull, entries copied from the registry's);
 *                        null for a single-platform pull
 */
public record PullResult(String reference, String digest, String manifestDigest, String imageId, String platform,
                         String endpoint, List<BlobResult> blobs, List<Attempt> attempts, long bytesDownloaded,
                         long durationMs, List<PlatformImage> platforms, String indexDigest) {
    public PullResult {
        blobs = List.copyOf(blobs);
        attempts = List.copyOf(attempts);
        platforms = platforms == null || platforms.isEmpty()
                ? List.of(new PlatformImage(platform, manifestDigest, imageId, blobs)) : List.copyOf(platforms);
    }

    /** The result of a single-platform pull. */
    public PullResult(String reference, String digest, String manifestDigest, String imageId, String platform,
                      String endpoint, List<BlobResult> blobs, List<Attempt> attempts, long bytesDownloaded,
                      long durationMs) {
        this(reference, digest, manifestDigest, imageId, platform, endpoint, blobs, attempts, bytesDownloaded,
                durationMs, List.of(), null);
    }

    /** True for a pull of several images of an index (the store names the index). */
    public boolean multiPlatform() {
        return indexDigest != null;
    }
}
