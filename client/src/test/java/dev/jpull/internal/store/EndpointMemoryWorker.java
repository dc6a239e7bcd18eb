package dev.jpull.internal.store;

import dev.jpull.Outcome;
import dev.jpull.internal.registry.EndpointStats;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Test helper run in a separate JVM: {@code EndpointMemoryWorker FILE PREFIX COUNT} remembers COUNT endpoints
 * {@code http://PREFIX-i.test/v2}, one pull (one instance) each, as concurrent pulls of other processes do.
 */
public final class EndpointMemoryWorker {
    private EndpointMemoryWorker() {
    }

    public static void main(String[] args) {
        int count = Integer.parseInt(args[2]);
        for (int i = 0; i < count; i++) {
            EndpointMemoryFile memory = new EndpointMemoryFile(Path.of(args[0]), Duration.ofHours(1),
                    Clock.systemUTC(), w -> {
                        throw new AssertionError(w);
                    });
            memory.remember(List.of(new EndpointStats("http://" + args[1] + "-" + i + ".test/v2", Outcome.OK,
                    System.currentTimeMillis(), i, 1000L * i)));
        }
    }
}
