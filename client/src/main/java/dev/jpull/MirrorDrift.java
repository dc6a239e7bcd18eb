package dev.jpull;

import java.util.List;

/**
 * Mirror drift ({@code jpull diagnose} when more than one endpoint can serve the image): the digest each endpoint
 * serves for the reference, side by side, each compared with what the registry itself (the plan's default
 * endpoint) serves, and for a mirror serving the same digest whether it has every blob of it (a {@code HEAD} of
 * the platform manifest, config and layers of the registry's manifest).
 *
 * @param registry       base URL of the registry's own endpoint the others are compared with, null when it did
 *                       not answer (then every drift is {@link Drift#UNKNOWN})
 * @param registryDigest what the registry serves, null when it did not answer
 * @param endpoints      one per endpoint of the plan, in plan order
 */
public record MirrorDrift(String registry, String registryDigest, List<EndpointDrift> endpoints) {
    public MirrorDrift {
        endpoints = List.copyOf(endpoints);
    }

    /** True when some endpoint is {@link Drift#STALE} or {@link Drift#MISSING_BLOBS}. */
    public boolean drifted() {
        return endpoints.stream().anyMatch(e -> e.drift() == Drift.STALE || e.drift() == Drift.MISSING_BLOBS);
    }
}
