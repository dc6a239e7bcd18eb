package dev.jpull.internal.serve;

import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.InvalidManifestException;
import dev.jpull.internal.oci.ManifestDocument;
import dev.jpull.internal.oci.ManifestParser;
import dev.jpull.internal.registry.GetManifest;
import dev.jpull.internal.store.OciStore;
import dev.jpull.internal.store.TagFile;
import dev.jpull.StoreException;
import java.io.IOException;

/**
 * {@code GET|HEAD /v2/<name>/manifests/<reference>}: by tag always from upstream (a tag can move), by digest from
 * the store when it holds a manifest that hashes to it, else from upstream. A tag no upstream endpoint can answer
 * for (every one unavailable, none saying "not found") is answered with what it last resolved to upstream
 * ({@link TagFile}), when the store still holds that manifest: access-log source {@code store-stale}. Whatever
 * comes from upstream was verified and validated there ({@code GetManifest}) and is stored by digest; its
 * descriptors teach {@link KnownBlobs} the sizes of the blobs the client will ask for next.
 */
final class ManifestResponder {
    private final OciStore store;
    private final KnownBlobs known;
    private final Fetching fetching;
    /** Tags as last resolved upstream, answered when no upstream endpoint is available; null: never. */
    private final TagFile tags;
    private final ServeMetrics metrics;

    ManifestResponder(OciStore store, KnownBlobs known, Fetching fetching, TagFile tags, ServeMetrics metrics) {
        this.store = store;
        this.known = known;
        this.fetching = fetching;
        this.tags = tags;
        this.metrics = metrics;
    }

    private record Found(byte[] bytes, String digest, ManifestDocument document, String source) {
    }

    void answer(Route route, Upstream upstream, Reply reply) throws IOException, Route.Refused {
        Found found = route.byDigest() ? stored(route.reference()) : null;
        if (found == null) {
            try {
                var fetched = fetching.manifest(upstream.plan(route.image()), route.reference(),
                        route.byDigest() ? route.reference() : null);
                var m = fetched.value();
                found = new Found(m.bytes(), m.digest(), m.document(), fetched.endpoint());
                keep(m.digest(), m.bytes());
                if (!route.byDigest() && tags != null) {
                    tags.remember(tagKey(route), m.digest(), m.document().mediaType());
                }
            } catch (Route.Refused refused) {
                found = refused.status == 503 ? stale(route) : null; // a 404 upstream is an answer: passed on
                if (found == null) {
                    throw refused;
                }
                metrics.staleTag();
            }
        }
        known.learn(found.document());
        reply.source(found.source() != null ? found.source() : "upstream");
        reply.header("Docker-Content-Digest", found.digest());
        reply.send(200, found.document().mediaType(), found.bytes());
    }

    /**
     * When no upstream endpoint answered for the tag of {@code route}: the manifest it last resolved to, if the store
     * still holds it intact (distribution's pull-through cache does the same), else null.
     */
    private Found stale(Route route) {
        TagFile.Entry last = route.byDigest() || tags == null ? null : tags.recall(tagKey(route));
        Found f = last == null ? null : stored(last.digest());
        return f == null ? null : new Found(f.bytes(), f.digest(), f.document(), "store-stale");
    }

    private static String tagKey(Route route) {
        return route.image().registry() + "/" + route.image().repository() + ":" + route.reference();
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
