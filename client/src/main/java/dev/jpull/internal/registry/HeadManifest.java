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
 * exist: a 2xx HEAD whose {@code Docker-Content-Digest} names another digest is the endpoint's fault.
 */
public final class HeadManifest implements RegistryExecutor.Operation<ManifestHead> {
    private static final String ACCEPT = String.join(", ", MediaTypes.MANIFEST_ACCEPT);

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
    public ManifestHead run(Endpoint endpoint) throws EndpointFailure {
        String digest;
        String mediaType;
        long size;
        try (Response response = exchange.head(endpoint, endpoint.url("manifests", reference),
                Map.of("Accept", ACCEPT))) {
            digest = response.header("Docker-Content-Digest");
            mediaType = contentType(response.header("Content-Type"));
            size = length(response.header("Content-Length"));
        } catch (EndpointFailure f) {
            if (f.status() == 405 || f.status() == 501) {
                return byGet(endpoint); // HEAD not supported: the body says it
            }
            throw f;
        }
        if (digest == null || !Digests.isValid(digest.trim())) {
            return byGet(endpoint);
        }
        digest = digest.trim();
        if (expectedDigest != null && !expectedDigest.equals(digest)) {
            throw new EndpointFailure(Outcome.DIGEST_MISMATCH, 200,
                    "manifest " + expectedDigest + ": Docker-Content-Digest says " + digest);
        }
        return new ManifestHead(digest, mediaType, size);
    }

    private ManifestHead byGet(Endpoint endpoint) throws EndpointFailure {
        FetchedManifest m = new GetManifest(exchange, reference, expectedDigest, new AtomicLong()).run(endpoint);
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
