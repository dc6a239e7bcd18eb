package dev.jpull.internal.serve;

import dev.jpull.MirrorRequest;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** Waiting for a mirror's access records: one is written when its exchange ends, maybe just after the client read it. */
final class AccessRecords {
    private AccessRecords() {
    }

    /** The records of {@code log} matching {@code which}, once there are {@code count} of them; at most 30 s. */
    static List<MirrorRequest> await(List<MirrorRequest> log, Predicate<MirrorRequest> which, int count)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<MirrorRequest> found = log.stream().filter(which).toList();
        while (found.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
            found = log.stream().filter(which).toList();
        }
        return found;
    }
}
