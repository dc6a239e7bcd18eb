package dev.jpull;

import java.util.List;

/**
 * What {@code jpull rmi} removed.
 *
 * @param reference      the reference whose {@code index.json} entry was removed; null for an entry that had no
 *                       ref name ({@code rmi --prune})
 * @param manifestDigest the manifest that entry pointed at
 * @param deletedBlobs   blobs deleted because no remaining reference uses them (empty when another reference
 *                       shares the whole image)
 */
public record RemovedImage(String reference, String manifestDigest, List<String> deletedBlobs) {
    public RemovedImage {
        deletedBlobs = List.copyOf(deletedBlobs);
    }
}
