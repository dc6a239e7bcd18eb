package dev.jpull.internal.oci;

import java.util.List;

/** Wire type (bound by {@link Json}, which names its JSON fields): an OCI image manifest or Docker schema 2 manifest (the fields jpull needs). */
public record ImageManifest(int schemaVersion, String mediaType, Descriptor config, List<Descriptor> layers) {
}
