package dev.jpull;

import java.util.Map;

/**
 * One layer of an inspected image, as its manifest describes it (skopeo's {@code LayersData}).
 *
 * @param digest      the layer blob's digest
 * @param size        its size in bytes (compressed, as stored)
 * @param mediaType   its media type
 * @param annotations the descriptor's annotations (empty when none)
 */
public record ImageLayer(String digest, long size, String mediaType, Map<String, String> annotations) {
    public ImageLayer {
        annotations = annotations == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(annotations));
    }
}
