package dev.jpull.internal.registry;

import java.util.Collection;
import java.util.Map;

/**
 * Endpoint state carried from one pull to the next (issue 11): a pull {@linkplain #recall() recalls} what earlier
 * pulls saw, orders healthy endpoints first and does not wait on one that failed recently, and afterwards
 * {@linkplain #remember remembers} what it saw itself. Implementations are shared by concurrent pulls and
 * processes, and never fail a pull: a store that cannot be read or written is ignored (with a warning).
 */
public interface EndpointMemory {
    /** Remembers nothing. */
    EndpointMemory NONE = new EndpointMemory() {
        @Override
        public Map<String, EndpointStats> recall() {
            return Map.of();
        }

        @Override
        public void remember(Collection<EndpointStats> seen) {
        }
    };

    /** The entries that have not expired, by {@link EndpointStats#baseUrl()}. */
    Map<String, EndpointStats> recall();

    /** Merges {@code seen} (what one pull observed) into the memory: newer entries replace older ones. */
    void remember(Collection<EndpointStats> seen);
}
