package dev.jpull.internal.serve;

import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.ManifestDocument;
import dev.jpull.spi.BlobDescriptor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sizes and media types of the blobs the manifests served so far name (a verified manifest's descriptors are the
 * truth about its blobs), so that a blob request, which names only a digest, can be downloaded without asking an
 * endpoint for the size first. Bounded: the oldest entries are forgotten.
 */
final class KnownBlobs {
    static final int MAX = 65_536;
    private final Map<String, BlobDescriptor> byDigest = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, BlobDescriptor> eldest) {
            return size() > MAX;
        }
    };

    synchronized void learn(ManifestDocument document) {
        if (document.isIndex()) {
            document.index().manifests().forEach(this::put);
        } else {
            put(document.manifest().config());
            document.manifest().layers().forEach(this::put);
        }
    }

    private void put(Descriptor d) {
        byDigest.put(d.digest(), new BlobDescriptor(d.mediaType(), d.digest(), d.size()));
    }

    synchronized BlobDescriptor get(String digest) {
        return byDigest.get(digest);
    }
}
