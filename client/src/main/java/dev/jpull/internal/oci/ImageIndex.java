package dev.jpull.internal.oci;

import java.util.List;
import java.util.Map;

/** Wire type (bound by {@link Json}, which names its JSON fields): an OCI image index or Docker manifest list; also the store's {@code index.json}. */
public record ImageIndex(int schemaVersion, String mediaType, List<Descriptor> manifests,
                         Map<String, String> annotations) {
}
