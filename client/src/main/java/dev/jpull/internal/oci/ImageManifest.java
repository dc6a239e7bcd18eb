package dev.jpull.internal.oci;

import java.util.List;

/**
 * Wire type: an OCI image manifest or Docker schema 2 manifest (the fields jpull needs). Its JSON rules are
 * {@link Json}'s.
 */
public record ImageManifest(int schemaVersion, String mediaType, Descriptor config, List<Descriptor> layers) {
}
