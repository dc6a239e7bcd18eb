package dev.jpull.internal.registry;

import dev.jpull.Endpoint;
import dev.jpull.Outcome;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.MediaTypes;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Response;

/**
 * {@code HEAD /v2/<name>/manifests/<ref>}: the digest a tag resolves to now, without the body
 * ({@code jpull digest}). The HEAD sends the same {@code Accept} as {@link GetManifest}, so the digest is of the
 * manifest a pull would get (the index of a multi-platform tag). When the HEAD gives no usable
 * {@code Docker-Content-Digest} (none, malformed, or a registry that refuses HEAD with 405/501), the same endpoint
 * is asked with a {@link GetManifest}, whose bytes are hashed and validated. A reference by digest is checked to
 * exist: a 2xx HEAD whose {@code Docker-Content-Digest} names another digest is the endpoint's fault. Hedgeable as a
 * pull's manifest GET: an endpoint that does not answer within the hedge delay is raced by the next one.
 */
public final class HeadManifest implements RegistryExecutor.Hedgeable<ManifestHead> {
    private static final String ACCEPT = MediaTypes.MANIFEST_ACCEPT_HEADER;

    private final Exchange exchange;
    private final String reference;
    private final String expectedDigest;

    /**
     * @param reference      tag or digest
     * @param expectedDigest the digest of a by-digest reference, or null for a tag
     */
    public HeadManifest(Exchange exchange, String reference, String expectedDigest) {
        this.exchange = exchange;
        this.reference = reference;
        this.expectedDigest = expectedDigest;
    }

    @Override
    public ManifestHead prepare() {
        return null; // the request is always the same
    }

    /** The HEAD's response; the GET's when the endpoint refuses HEAD (405, 501). Hedged as a pull's GET is. */
    @Override
    public Response send(Endpoint endpoint) throws EndpointFailure {
        try {
            return exchange.head(endpoint, endpoint.url("manifests", reference), Map.of("Accept", ACCEPT));
        } catch (EndpointFailure f) {
            if (f.status() == 405 || f.status() == 501) {
                return get().send(endpoint); // HEAD not supported: the body says it
            }
            throw f;
        }
    }

    @Override
    public ManifestHead read(Endpoint endpoint, Response sent) throws EndpointFailure {
        if ("GET".equals(sent.request().method())) {
            return of(get().read(endpoint, sent));
        }
        String digest;
        String mediaType;
        long size;
        try (Response response = sent) {
            digest = response.header("Docker-Content-Digest");
            mediaType = contentType(response.header("Content-Type"));
            size = length(response.header("Content-Length"));
        }
        if (digest == null || !Digests.isValid(digest.trim())) {
            return of(get().run(endpoint)); // no usable digest: the body's, hashed and validated
        }
        digest = digest.trim();
        if (expectedDigest != null && !expectedDigest.equals(digest)) {
            throw new EndpointFailure(Outcome.DIGEST_MISMATCH, 200,
                    "manifest " + expectedDigest + ": Docker-Content-Digest says " + digest);
        }
        return new ManifestHead(digest, mediaType, size);
    }

    private GetManifest get() {
        return new GetManifest(exchange, reference, expectedDigest, new AtomicLong());
    }

    private static ManifestHead of(FetchedManifest m) {
        return new ManifestHead(m.digest(), m.mediaType(), m.bytes().length);
    }

    /** The media type of a {@code Content-Type} header, without parameters; null when absent or empty. */
    private static String contentType(String header) {
        if (header == null) {
            return null;
        }
        int semicolon = header.indexOf(';');
        String type = (semicolon >= 0 ? header.substring(0, semicolon) : header).trim();
        return type.isEmpty() ? null : type;
    }

    private static long length(String header) {
        try {
            return header == null ? -1 : Math.max(-1, Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
