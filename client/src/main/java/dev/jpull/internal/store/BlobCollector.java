package dev.jpull.internal.store;

import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.ImageIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Deletes the blobs of removed {@code index.json} entries that no remaining entry uses. Runs under the index lock
 * (see {@link IndexFile#remove}), so no entry can be added meanwhile.
 *
 * <p>Only the removed entries' own blobs are candidates, never the whole {@code blobs/} directory: blobs that a
 * pull in progress has downloaded but not yet tagged are not referenced by any entry and must survive. When a
 * remaining entry's content cannot be read (a missing or malformed manifest), nothing is deleted: what that entry
 * needs is unknown.
 */
final class BlobCollector {
    private BlobCollector() {
    }

    static Optional<Removal> collect(OciStore store, String refName, List<Descriptor> removed, ImageIndex remaining) {
        if (removed.isEmpty()) {
            return Optional.empty();
        }
        Set<String> candidates = new LinkedHashSet<>();
        for (Descriptor d : removed) {
            candidates.add(d.digest());
            try {
                candidates.addAll(ImageGraph.read(store, refName, d).blobs());
            } catch (ImageGraph.BrokenImageException e) {
                // only the manifest digest is known; it is deleted when present and unused
            }
        }
        Set<String> used = new HashSet<>();
        for (Descriptor d : remaining.manifests()) {
            try {
                used.addAll(ImageGraph.read(store, IndexFile.refNameOf(d), d).blobs());
            } catch (ImageGraph.BrokenImageException e) {
                return Optional.of(new Removal(refName, removed.get(0), List.of()));
            }
        }
        List<String> deleted = new ArrayList<>();
        for (String digest : candidates) {
            if (!used.contains(digest) && delete(store, digest)) {
                deleted.add(digest);
            }
        }
        return Optional.of(new Removal(refName, removed.get(0), deleted));
    }

    private static boolean delete(OciStore store, String digest) {
        try {
            return Files.deleteIfExists(store.blobPath(digest));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete blob " + digest + ": " + e.getMessage(), e);
        }
    }
}
