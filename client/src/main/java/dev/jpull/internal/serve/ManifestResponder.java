package dev.jpull.internal.serve;

import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.InvalidManifestException;
import dev.jpull.internal.oci.ManifestDocument;
import dev.jpull.internal.oci.ManifestParser;
import dev.jpull.internal.registry.GetManifest;
import dev.jpull.internal.store.OciStore;
import dev.jpull.StoreException;
import java.io.IOException;

/**
 * {@code GET|HEAD /v2/<name>/manifests/<reference>}: by tag always from upstream (a tag can move), by digest from
 * the store when it holds a manifest that hashes to it, else from upstream. Whatever comes from upstream was
 * verified and validated there ({@code GetManifest}) and is stored by digest; its descriptors teach
 * {@link KnownBlobs} the sizes of the blobs the client will ask for next.
 */
final class ManifestResponder {
    private final OciStore store;
    private final KnownBlobs known;
    private final Fetching fetching;

    ManifestResponder(OciStore store, KnownBlobs known, Fetching fetching) {
        this.store = store;
        this.known = known;
        this.fetching = fetching;
    }

    private record Found(byte[] bytes, String digest, ManifestDocument document, String source) {
    }

    void answer(Route route, Upstream upstream, Reply reply) throws IOException, Route.Refused {
        Found found = route.byDigest() ? stored(route.reference()) : null;
        if (found == null) {
            var fetched = fetching.manifest(upstream.plan(route.image()), route.reference(),
                    route.byDigest() ? route.reference() : null);
            var m = fetched.value();
            found = new Found(m.bytes(), m.digest(), m.document(), fetched.endpoint());
            keep(m.digest(), m.bytes());
        }
        known.learn(found.document());
        reply.source(found.source() != null ? found.source() : "upstream");
        reply.header("Docker-Content-Digest", found.digest());
        reply.send(200, found.document().mediaType(), found.bytes());
    }

    /** The stored manifest {@code digest}, when the store holds one that hashes to it and is valid. */
    private Found stored(String digest) {
        if (!store.check(digest, -1, false).ok()) {
            return null;
        }
        try {
            byte[] bytes = store.readBlob(digest);
            if (bytes.length > GetManifest.MAX_MANIFEST_BYTES || !digest.equals(Digests.sameAlgorithm(digest, bytes))) {
                return null;
            }
            return new Found(bytes, digest, ManifestParser.parse(bytes, null), "store");
        } catch (InvalidManifestException | StoreException | java.io.UncheckedIOException e) {
            return null; // a blob that is no manifest, or vanished: ask upstream
        }
    }

    private void keep(String digest, byte[] bytes) {
        try {
            store.writeBlob(digest, bytes);
        } catch (StoreException | IllegalArgumentException e) {
            // serving does not depend on the store: the next request for it goes upstream again
        }
    }
}
