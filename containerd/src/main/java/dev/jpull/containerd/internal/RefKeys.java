package dev.jpull.containerd.internal;

import dev.jpull.spi.BlobDescriptor;

/**
 * The ingest ref of a blob, as containerd's own pull names it ({@code remotes.MakeRefKey}): the kind of content
 * and the digest, e.g. {@code layer-sha256:4ab2...}. Sharing containerd's refs means a jpull pull and a
 * {@code ctr pull} of the same blob wait for each other instead of writing it twice, and resume each other's
 * ingests.
 */
final class RefKeys {
    private RefKeys() {
    }

    static String of(BlobDescriptor blob) {
        return kind(blob.mediaType()) + "-" + blob.digest();
    }

    static String kind(String mediaType) {
        String mt = mediaType == null ? "" : mediaType;
        if (MediaTypes.isManifest(mt)) {
            return "manifest";
        }
        if (MediaTypes.isIndex(mt)) {
            return "index";
        }
        if (MediaTypes.isLayer(mt)) {
            return "layer";
        }
        if (MediaTypes.isConfig(mt)) {
            return "config";
        }
        return "unknown";
    }
}
