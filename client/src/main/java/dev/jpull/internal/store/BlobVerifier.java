package dev.jpull.internal.store;

import dev.jpull.StoreException;
import dev.jpull.VerifyReport;
import dev.jpull.VerifyReport.BadBlob;
import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.Digests;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Re-hashes stored blobs ({@code jpull verify}): every file under the blob directory, or the blobs of named
 * {@code index.json} entries, and reports what is missing for each entry. A bad blob (wrong size, wrong content, a
 * link or directory in its place) is removed under its blob lock, after checking again with the lock held (a
 * concurrent pull may just have replaced it), so that the next pull fetches it again.
 */
public final class BlobVerifier {
    private final OciStore store;
    private final Set<String> seen = new LinkedHashSet<>();
    private final List<BadBlob> bad = new ArrayList<>();
    private int blobs;
    private long bytes;

    private BlobVerifier(OciStore store) {
        this.store = store;
    }

    /**
     * Verifies {@code entries} (reference to index entry), or the whole store when empty.
     *
     * @throws StoreException when the blob directory cannot be listed
     */
    public static VerifyReport verify(OciStore store, Map<String, Descriptor> entries) {
        BlobVerifier v = new BlobVerifier(store);
        if (entries.isEmpty()) {
            v.everyFile();
            store.references().forEach(v::image);
        } else {
            entries.forEach(v::image);
        }
        return new VerifyReport(List.copyOf(entries.keySet()), v.blobs, v.bytes, v.bad);
    }

    private void everyFile() {
        Path blobs = store.blobPath(Digests.sha256(new byte[0])).getParent().getParent();
        Set<String> names = new TreeSet<>();
        for (String algorithm : List.of("sha256", "sha384", "sha512")) {
            Path dir = blobs.resolve(algorithm);
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                continue; // sha384/sha512 directories exist only once such a blob was stored
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                files.forEach(f -> names.add(algorithm + ":" + f.getFileName()));
            } catch (IOException e) {
                throw StoreFiles.failure("list", dir, e);
            }
        }
        for (String digest : names) {
            if (Digests.isValid(digest)) {
                blob(digest, -1, null);
            }
        }
    }

    /** The entry's manifest first (its size is known), then, when it is good, everything it refers to. */
    private void image(String reference, Descriptor entry) {
        if (!blob(entry.digest(), entry.size(), reference)) {
            return;
        }
        StoredImage image;
        try {
            image = ImageGraph.read(store, reference, entry);
        } catch (ImageGraph.BrokenImageException | IllegalArgumentException e) {
            bad.add(new BadBlob(entry.digest(), "image " + reference + ": " + e.getMessage(), false));
            return;
        }
        Map<String, Long> sizes = new HashMap<>();
        if (image.config() != null) {
            sizes.put(image.config().digest(), image.config().size());
        }
        image.layers().forEach(l -> sizes.put(l.digest(), l.size()));
        for (String digest : image.blobs()) {
            blob(digest, sizes.getOrDefault(digest, -1L), reference);
        }
    }

    /** Checks one blob once; false when it is bad or missing. */
    private boolean blob(String digest, long size, String neededBy) {
        if (!seen.add(digest)) {
            return bad.stream().noneMatch(b -> b.digest().equals(digest));
        }
        BlobCheck check = store.check(digest, size, true);
        if (check.ok()) {
            blobs++;
            bytes += check.size();
            return true;
        }
        if (!check.present()) {
            bad.add(new BadBlob(digest, "missing" + (neededBy == null ? "" : " (needed by " + neededBy + ")"),
                    false));
            return false;
        }
        blobs++;
        bytes += Math.max(0, check.size());
        try (BlobLock lock = store.lockBlob(digest)) {
            BlobCheck again = store.check(digest, size, true);
            if (again.ok()) {
                return true; // replaced by a good copy meanwhile
            }
            if (again.present()) {
                store.removeBlob(digest);
            }
            bad.add(new BadBlob(digest, again.present() ? again.problem() : check.problem(), true));
        }
        return false;
    }
}
