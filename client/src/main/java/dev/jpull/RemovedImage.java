package dev.jpull;

import java.util.List;

/**
 * What {@code jpull rmi} removed.
 *
 * @param reference      the normalised reference whose {@code index.json} entry was removed
 * @param manifestDigest the manifest that entry pointed at
 * @param deletedBlobs   blobs deleted because no remaining reference uses them (empty when another reference
 *                       shares the whole image)
 */
public record RemovedImage(String reference, String manifestDigest, List<String> deletedBlobs) {
    public RemovedImage {
        deletedBlobs = List.copyOf(deletedBlobs);
    }
}
