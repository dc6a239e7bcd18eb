package dev.jpull;

/**
 * One image of the store ({@code jpull images}).
 *
 * @param reference      normalised reference, e.g. {@code docker.io/library/alpine:latest}; null for an entry
 *                       without a ref name
 * @param manifestDigest digest of the manifest the reference points at
 * @param imageId        digest of the image config; null when the entry points at an index or its manifest is
 *                       missing or malformed
 * @param size           sum of config and layer sizes as stored (compressed); 0 when unknown
 * @param platform       e.g. {@code linux/amd64}; for an index entry ({@code pull --all-platforms}) the platforms
 *                       of its images, comma-separated ({@code linux/amd64,linux/arm64/v8}); null when unknown
 */
public record ImageSummary(String reference, String manifestDigest, String imageId, long size, String platform) {
}
