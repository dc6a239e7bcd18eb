package dev.jpull.internal.store;

import dev.jpull.IngestUsage;
import dev.jpull.PruneReport;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The store's {@code ingest/} staging directory as a whole: how much it holds, and removing what is stale. It holds
 * partial downloads ({@code <algorithm>-<hex>.partial}, kept so that the next pull resumes them), their lock files
 * ({@code .lock}, empty) and short-lived temporary files ({@code .tmp}).
 *
 * <p>{@link #prune} never removes what a pull is using: a partial is removed only while holding its blob lock
 * ({@link BlobLock#tryAcquire}; a partial being downloaded is locked and kept), a temporary file only when it is
 * older than the limit and than {@link #TEMP_GRACE}. Lock files stay (they are empty; removing one that another
 * process waits on would let two downloads of one blob run at once).
 */
public final class Ingest {
    private Ingest() {
    }

    /** A temporary file younger than this may be being written (a manifest or config on its way in). */
    static final Duration TEMP_GRACE = Duration.ofMinutes(10);

    /** The partial downloads and temporary files in {@code ingest/} ({@code store} null: there is no store). */
    public static IngestUsage usage(OciStore store) {
        IngestUsage usage = IngestUsage.NONE;
        if (store == null) {
            return usage; // no store directory
        }
        Path dir = store.ingestDir();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                StoreFiles.Entry e = StoreFiles.stat(f);
                if (e != null && e.regular() && !e.link() && isData(f)) {
                    usage = usage.plus(e.size());
                }
            }
        } catch (IOException e) {
            throw StoreFiles.failure("list", dir, e);
        }
        return usage;
    }

    /**
     * Removes partial downloads and temporary files last modified before {@code now - olderThan} ({@code 0}: all
     * that no pull is using); anything else in {@code ingest/} that is not jpull's (a link, a directory) is
     * removed too, as a pull would.
     */
    public static PruneReport prune(OciStore store, Duration olderThan, Instant now) {
        if (store == null) {
            return new PruneReport(IngestUsage.NONE, IngestUsage.NONE); // no store directory
        }
        Instant limit = now.minus(olderThan);
        IngestUsage removed = IngestUsage.NONE;
        IngestUsage kept = IngestUsage.NONE;
        Path dir = store.ingestDir();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                StoreFiles.Entry e = StoreFiles.stat(f);
                if (e == null || !isData(f) && e.regular() && !e.link()) {
                    continue; // gone meanwhile, or a lock file
                }
                if (e.link() || !e.regular()) {
                    StoreFiles.removeTree(f);
                    continue;
                }
                Instant modified = Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).toInstant();
                boolean stale = (olderThan.isZero() || modified.isBefore(limit))
                        && (f.toString().endsWith(".partial") || modified.isBefore(now.minus(TEMP_GRACE)));
                if (stale && remove(f)) {
                    removed = removed.plus(e.size());
                } else {
                    kept = kept.plus(e.size());
                }
            }
        } catch (IOException e) {
            throw StoreFiles.failure("prune", dir, e);
        }
        return new PruneReport(removed, kept);
    }

    /** Removes {@code f}; a partial only while holding its blob's lock (false: a pull is downloading it). */
    private static boolean remove(Path f) throws IOException {
        String name = f.getFileName().toString();
        if (!name.endsWith(".partial")) {
            return Files.deleteIfExists(f);
        }
        Path lockFile = f.resolveSibling(name.substring(0, name.length() - ".partial".length()) + ".lock");
        try (BlobLock lock = BlobLock.tryAcquire(lockFile)) {
            return lock != null && Files.deleteIfExists(f);
        }
    }

    private static boolean isData(Path f) {
        String name = f.getFileName().toString();
        return name.endsWith(".partial") || name.endsWith(".tmp");
    }
}
