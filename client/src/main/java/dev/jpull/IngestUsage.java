package dev.jpull;

/**
 * What the store's {@code ingest/} staging directory holds ({@link Jpull#ingest}), or a part of it
 * ({@link PruneReport}): partial downloads, kept so that the next pull of their blob resumes, and temporary files.
 *
 * @param files partial downloads and temporary files (their empty lock files are not counted)
 * @param bytes the sum of their sizes
 */
public record IngestUsage(int files, long bytes) {
    /** Nothing. */
    public static final IngestUsage NONE = new IngestUsage(0, 0);

    /** This plus one file of {@code size} bytes. */
    public IngestUsage plus(long size) {
        return new IngestUsage(files + 1, bytes + size);
    }
}
