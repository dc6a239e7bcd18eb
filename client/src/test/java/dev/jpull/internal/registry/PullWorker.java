package dev.jpull.internal.registry;

import dev.jpull.Jpull;
import dev.jpull.PullResult;
import java.nio.file.Path;

/** Test helper run in a separate JVM: {@code PullWorker STORE REF} pulls REF into STORE and prints its digest. */
public final class PullWorker {
    private PullWorker() {
    }

    public static void main(String[] args) {
        PullResult result = Jpull.builder().store(Path.of(args[0])).concurrency(3).build().pull(args[1]);
        System.out.println("pulled " + result.digest() + " cached=" + result.blobs().stream()
                .filter(b -> b.cached()).count());
    }
}
