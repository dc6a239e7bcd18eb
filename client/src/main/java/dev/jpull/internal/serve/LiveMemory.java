package dev.jpull.internal.serve;

import dev.jpull.internal.registry.EndpointMemory;
import dev.jpull.internal.registry.EndpointStats;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The mirror's endpoint memory, in the process: every request recalls what the requests before it saw of the
 * endpoints (a dead or silent mirror is tried after the healthy ones, so it is paid once, not once per blob),
 * for {@code ttl}, after which an endpoint is tried in its configured place again.
 */
final class LiveMemory implements EndpointMemory {
    private final Map<String, EndpointStats> entries = new ConcurrentHashMap<>();
    private final long ttlMillis;

    LiveMemory(Duration ttl) {
        this.ttlMillis = ttl.toMillis();
    }

    @Override
    public Map<String, EndpointStats> recall() {
        long oldest = System.currentTimeMillis() - ttlMillis;
        entries.values().removeIf(s -> s.atMillis() < oldest);
        return Map.copyOf(entries);
    }

    @Override
    public void remember(Collection<EndpointStats> seen) {
        for (EndpointStats s : seen) {
            entries.merge(s.baseUrl(), s, (old, now) -> now.atMillis() >= old.atMillis() ? now : old);
        }
    }
}
