package dev.jpull;

import java.util.List;

/**
 * What {@link Jpull#verify} found: every stored blob it re-hashed, and the bad ones (removed, so the next pull
 * fetches them again).
 *
 * @param images the references whose blobs were checked; empty when the whole store was
 * @param blobs  how many blobs were re-hashed
 * @param bytes  their total size
 * @param bad    every problem, in the order found
 */
public record VerifyReport(List<String> images, int blobs, long bytes, List<BadBlob> bad) {
    public VerifyReport {
        images = List.copyOf(images);
        bad = List.copyOf(bad);
    }

    /**
     * One bad or missing blob.
     *
     * @param digest  the blob
     * @param problem what was wrong: "has 3 bytes, not 5", "hashes to sha256:...", "is a symbolic link",
     *                "missing (needed by REF)", or why an image's manifest could not be read
     * @param removed true when the bad file was removed from the store (false for a missing blob)
     */
    public record BadBlob(String digest, String problem, boolean removed) {
    }

    /** True when nothing was bad or missing. */
    public boolean clean() {
        return bad.isEmpty();
    }
}
