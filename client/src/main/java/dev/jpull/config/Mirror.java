package dev.jpull.config;

import java.util.List;
import java.util.Map;

/**
 * One {@code mirrors.<name>} entry.
 *
 * @param endpoints endpoint strings as written, in file order (empty strings removed)
 * @param rewrites  regex to Go-syntax replacement, in file order (an insertion-ordered map)
 */
public record Mirror(List<String> endpoints, Map<String, String> rewrites) {
    public Mirror {
        endpoints = List.copyOf(endpoints);
        rewrites = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rewrites));
    }
}
