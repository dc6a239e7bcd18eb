package dev.jpull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code mirrors.<name>} entry.
 *
 * @param endpoints         endpoint strings as written, in file order (empty strings removed)
 * @param rewrites          regex to Go-syntax replacement, in file order (an insertion-ordered map)
 * @param endpointLocations where each endpoint was written (same order as {@code endpoints}), or empty when
 *                          unknown (a configuration built in code)
 * @param rewriteLocations  where each rewrite pattern was written; may lack entries
 */
public record Mirror(List<String> endpoints, Map<String, String> rewrites, List<ConfigLocation> endpointLocations,
                     Map<String, ConfigLocation> rewriteLocations) {
    public Mirror {
        endpoints = List.copyOf(endpoints);
        rewrites = Collections.unmodifiableMap(new LinkedHashMap<>(rewrites));
        endpointLocations = List.copyOf(endpointLocations);
        rewriteLocations = Collections.unmodifiableMap(new LinkedHashMap<>(rewriteLocations));
        if (!endpointLocations.isEmpty() && endpointLocations.size() != endpoints.size()) {
            throw new IllegalArgumentException("one location per endpoint");
        }
    }

    /** A mirror without file positions (built in code). */
    public Mirror(List<String> endpoints, Map<String, String> rewrites) {
        this(endpoints, rewrites, List.of(), Map.of());
    }

    /** Where endpoint {@code i} was written, or null when unknown. */
    public ConfigLocation endpointLocation(int i) {
        return endpointLocations.isEmpty() ? null : endpointLocations.get(i);
    }
}
