package dev.jpull.internal.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** Wire type: an OCI image manifest or Docker schema 2 manifest (the fields jpull needs). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageManifest(int schemaVersion, String mediaType, Descriptor config, List<Descriptor> layers) {
}
