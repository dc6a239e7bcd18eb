package dev.jpull.internal.store;

import dev.jpull.BlobPruneReport;
import dev.jpull.StoreException;
import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.ImageIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Deletes the blobs no {@code index.json} entry uses and nothing has written for a while ({@code jpull prune
 * --blobs}): what {@code jpull serve} cached for clients and a removed or re-tagged image left behind. A cache's
 * time to live, as distribution's pull-through cache has one: a blob is kept when its file was modified less than
 * {@code olderThan} ago (written, or marked used by {@code jpull serve}), so the blobs of a pull in progress
 * (downloaded, not yet tagged) survive. And a cache's size: beyond {@code keepBytes} of unused blobs, the least
 * recently modified go as well, except those of the last minutes. Runs under the
 * index lock, so no image is tagged meanwhile; when an entry's content cannot be read, nothing is deleted (what it
 * needs is unknown). Only regular files named by a digest are candidates; a link or anything else in
 * {@code blobs/} is left alone.
 */
final class BlobPruner {
    /** The digest algorithms whose directories are looked at. */
    private static final List<String> ALGORITHMS = List.of("sha256", "sha512");

    private BlobPruner() {
    }

    /**
     * @param limit     blobs modified before this go
     * @param keepBytes at most this many bytes of unused blobs stay: beyond it the least recently modified go too
     *                  ({@link Long#MAX_VALUE}: no such bound)
     * @param youngest  none modified at or after this goes for {@code keepBytes} (a pull in progress)
     */
    static BlobPruneReport prune(OciStore store, Path blobsRoot, ImageIndex index, Instant limit, long keepBytes,
                                 Instant youngest) {
        Set<String> used = new HashSet<>();
        for (Descriptor d : index.manifests()) {
            try {
                used.addAll(ImageGraph.read(store, IndexFile.refNameOf(d), d).blobs());
            } catch (ImageGraph.BrokenImageException e) {
                throw new StoreException("no blob pruned: the store's entry " + (IndexFile.refNameOf(d) == null
                        ? d.digest() : IndexFile.refNameOf(d)) + " cannot be read (" + e.getMessage()
                        + "), so what it needs is unknown; run jpull verify, or remove it with jpull rmi", e);
            }
        }
        List<Unused> unused = unused(blobsRoot, used);
        int removed = 0;
        long removedBytes = 0;
        List<Unused> kept = new ArrayList<>();
        long keptBytes = 0;
        for (Unused u : unused) {
            if (!u.modified().isBefore(limit)) {
                kept.add(u);
                keptBytes += u.size();
            } else if (delete(u)) {
                removed++;
                removedBytes += u.size();
            }
        }
        // over keepBytes: the least recently used first, never one modified at or after youngest (a pull in progress)
        kept.sort(Comparator.comparing(Unused::modified));
        int keptCount = kept.size();
        for (Unused u : kept) {
            if (keptBytes <= keepBytes || !u.modified().isBefore(youngest)) {
                break;
            }
            if (delete(u)) {
                removed++;
                removedBytes += u.size();
                keptCount--;
                keptBytes -= u.size();
            }
        }
        return new BlobPruneReport(removed, removedBytes, keptCount, keptBytes);
    }

    /** A regular file of {@code blobs/} named by a digest that no image uses. */
    private record Unused(Path file, long size, Instant modified) {
    }

    private static List<Unused> unused(Path blobsRoot, Set<String> used) {
        List<Unused> out = new ArrayList<>();
        for (String algorithm : ALGORITHMS) {
            Path dir = blobsRoot.resolve(algorithm);
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    String digest = algorithm + ":" + f.getFileName();
                    StoreFiles.Entry e = StoreFiles.stat(f);
                    if (e == null || e.link() || !e.regular() || !dev.jpull.internal.oci.Digests.isValid(digest)
                            || used.contains(digest)) {
                        continue;
                    }
                    try {
                        out.add(new Unused(f, e.size(),
                                Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).toInstant()));
                    } catch (NoSuchFileException gone) {
                        // removed meanwhile (jpull serve drops a blob that fails its check)
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prune " + dir + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static boolean delete(Unused u) {
        try {
            return Files.deleteIfExists(u.file());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prune " + u.file() + ": " + e.getMessage(), e);
        }
    }
}
