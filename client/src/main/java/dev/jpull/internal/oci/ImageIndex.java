package dev.jpull.internal.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** Wire type: an OCI image index or Docker manifest list; also the store's {@code index.json}. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageIndex(int schemaVersion, String mediaType, List<Descriptor> manifests,
                         Map<String, String> annotations) {
}
