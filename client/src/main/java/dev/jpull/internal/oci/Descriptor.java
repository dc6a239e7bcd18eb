package dev.jpull.internal.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** Wire type: an OCI content descriptor. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Descriptor(String mediaType, String digest, long size, List<String> urls,
                         Map<String, String> annotations, Platform platform) {

    public static Descriptor of(String mediaType, String digest, long size) {
        return new Descriptor(mediaType, digest, size, null, null, null);
    }

    public Descriptor withAnnotations(Map<String, String> newAnnotations) {
        return new Descriptor(mediaType, digest, size, urls, newAnnotations, platform);
    }
}
