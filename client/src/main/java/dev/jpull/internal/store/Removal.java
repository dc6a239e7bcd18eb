package dev.jpull.internal.store;

import dev.jpull.internal.oci.Descriptor;
import java.util.List;

/**
 * What {@link OciStore#remove} did.
 *
 * @param reference    the ref name that was removed
 * @param entry        the {@code index.json} entry it had
 * @param deletedBlobs the blobs deleted because no remaining entry uses them (manifest first)
 */
public record Removal(String reference, Descriptor entry, List<String> deletedBlobs) {
    public Removal {
        deletedBlobs = List.copyOf(deletedBlobs);
    }
}
