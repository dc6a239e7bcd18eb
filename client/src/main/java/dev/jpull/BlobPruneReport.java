package dev.jpull;

/**
 * What {@link Jpull#pruneBlobs} did with the blobs no image of the store uses.
 *
 * @param removed      blobs deleted (written longer ago than the limit)
 * @param removedBytes their sizes
 * @param kept         unused blobs kept because they were written more recently (a pull in progress, a fresh cache)
 * @param keptBytes    their sizes
 */
public record BlobPruneReport(int removed, long removedBytes, int kept, long keptBytes) {
    /** Nothing done. */
    public static final BlobPruneReport NONE = new BlobPruneReport(0, 0, 0, 0);
}
