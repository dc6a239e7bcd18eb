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
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Deletes the blobs no {@code index.json} entry uses and nothing has written for a while ({@code jpull prune
 * --blobs}): what {@code jpull serve} cached for clients and a removed or re-tagged image left behind. A cache's
 * time to live, as distribution's pull-through cache has one: a blob is kept when its file was modified less than
 * {@code olderThan} ago (written, or marked used by {@code jpull serve}), so the blobs of a pull in progress
 * (downloaded, not yet tagged) survive. Runs under the
 * index lock, so no image is tagged meanwhile; when an entry's content cannot be read, nothing is deleted (what it
 * needs is unknown). Only regular files named by a digest are candidates; a link or anything else in
 * {@code blobs/} is left alone.
 */
final class BlobPruner {
    /** The digest algorithms whose directories are looked at. */
    private static final List<String> ALGORITHMS = List.of("sha256", "sha512");

    private BlobPruner() {
    }

    static BlobPruneReport prune(OciStore store, Path blobsRoot, ImageIndex index, Instant limit) {
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
        int removed = 0;
        long removedBytes = 0;
        int kept = 0;
        long keptBytes = 0;
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
                    Instant written;
                    try {
                        written = Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).toInstant();
                    } catch (NoSuchFileException gone) {
                        continue; // removed meanwhile (jpull serve drops a blob that fails its check)
                    }
                    if (!written.isBefore(limit)) {
                        kept++;
                        keptBytes += e.size();
                    } else if (Files.deleteIfExists(f)) {
                        removed++;
                        removedBytes += e.size();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prune " + dir + ": " + e.getMessage(), e);
            }
        }
        return new BlobPruneReport(removed, removedBytes, kept, keptBytes);
    }
}
