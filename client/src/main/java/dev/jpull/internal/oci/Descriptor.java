package dev.jpull.internal.oci;

import java.util.List;
import java.util.Map;

/** Wire type: an OCI content descriptor. Its JSON rules are {@link Json}'s. */
public record Descriptor(String mediaType, String digest, long size, List<String> urls,
                         Map<String, String> annotations, Platform platform) {

    public static Descriptor of(String mediaType, String digest, long size) {
        return new Descriptor(mediaType, digest, size, null, null, null);
    }

    public Descriptor withAnnotations(Map<String, String> newAnnotations) {
        return new Descriptor(mediaType, digest, size, urls, newAnnotations, platform);
    }
}
