package dev.jpull.spi;

import dev.jpull.EndpointPlan;
import dev.jpull.internal.resolve.CriMirrorResolver;
import dev.jpull.internal.resolve.EndpointResolver;
import dev.jpull.internal.resolve.HostsDirResolver;

import dev.jpull.ImageReference;

/**
 * Where endpoint plans come from: K3s registries.yaml ({@link EndpointResolver}), a containerd hosts directory
 * ({@link HostsDirResolver}) or a containerd config.toml ({@link CriMirrorResolver}). Implementations do no
 * network access.
 */
@FunctionalInterface
public interface PlanSource {
    /** The ordered endpoints for {@code ref}; throws {@link dev.jpull.ConfigException} for a malformed file. */
    EndpointPlan resolve(ImageReference ref);
}
