package dev.jpull.internal.oci;

import java.util.List;
import java.util.Map;

/**
 * Wire type: an OCI image index or Docker manifest list; also the store's {@code index.json}. Its JSON rules are
 * {@link Json}'s.
 */
public record ImageIndex(int schemaVersion, String mediaType, List<Descriptor> manifests,
                         Map<String, String> annotations) {
}
