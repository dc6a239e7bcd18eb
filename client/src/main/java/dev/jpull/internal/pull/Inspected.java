package dev.jpull.internal.pull;

import dev.jpull.internal.oci.Platform;
import dev.jpull.internal.registry.FetchedManifest;

/**
 * What {@link ObjectFetcher#inspect} fetched of a reference without pulling it.
 *
 * @param top      the manifest the reference names (an index for a multi-platform tag), as received
 * @param image    the image manifest: {@code top} itself, or the one chosen below an index; null when an index was
 *                 not walked
 * @param platform the platform of the index entry that chose {@code image}, or null
 * @param config   the exact bytes of {@code image}'s config, or null when not asked for
 */
public record Inspected(FetchedManifest top, FetchedManifest image, Platform platform, byte[] config) {
}
