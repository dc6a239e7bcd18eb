package dev.jpull.internal.store;

/**
 * What {@link OciStore#check} found at a blob's path.
 *
 * @param digest  the blob's digest
 * @param present something is at the blob's path
 * @param size    its size in bytes (-1 when absent)
 * @param problem what is wrong with it ("has 3 bytes, not 5", "hashes to sha256:...", "is a symbolic link"), or
 *                null when it is a good blob or absent
 */
public record BlobCheck(String digest, boolean present, long size, String problem) {
    static BlobCheck absent(String digest) {
        return new BlobCheck(digest, false, -1, null);
    }

    /** Present and good (as far as was checked). */
    public boolean ok() {
        return present && problem == null;
    }

    /** Present but bad: remove it and fetch it again. */
    public boolean bad() {
        return present && problem != null;
    }
}
