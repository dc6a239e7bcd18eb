package dev.jpull.internal.store;

import dev.jpull.internal.oci.Descriptor;
import java.nio.file.Path;

/** Test helper run in a separate JVM: {@code TagWorker STORE PREFIX COUNT} tags COUNT refs named PREFIX-i. */
public final class TagWorker {
    private TagWorker() {
    }

    public static void main(String[] args) {
        OciStore store = OciStore.open(Path.of(args[0]));
        int count = Integer.parseInt(args[2]);
        for (int i = 0; i < count; i++) {
            String ref = args[1] + "-" + i;
            Descriptor m = OciStoreTest.storeManifest(store, ref);
            store.tag(ref, m);
        }
    }
}
