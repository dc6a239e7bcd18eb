package dev.jpull;

/**
 * What {@link Jpull#prune} did to the store's {@code ingest/} directory.
 *
 * @param removed the stale partial downloads and temporary files removed
 * @param kept    what stays: younger than the limit, or in use by a pull
 */
public record PruneReport(IngestUsage removed, IngestUsage kept) {
}
