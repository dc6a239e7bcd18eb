package dev.jpull.internal.registry;

import dev.jpull.Outcome;
import dev.jpull.internal.http.Bodies;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.InvalidManifestException;
import dev.jpull.internal.oci.ManifestParser;
import dev.jpull.internal.oci.MediaTypes;
import dev.jpull.Endpoint;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Response;

/**
 * {@code GET /v2/<name>/manifests/<ref>}: sends all four manifest media types in {@code Accept}, reads at most
 * 4 MiB, hashes the exact bytes, and verifies them against the requested digest (by-digest, in its algorithm) or
 * against {@code Docker-Content-Digest} (by-tag), then parses and validates the manifest ({@link ManifestParser}).
 * A mismatch or an invalid manifest is the endpoint's fault (a protocol error), not the pull's: the request moves
 * to the next endpoint.
 */
public final class GetManifest implements RegistryExecutor.Hedgeable<FetchedManifest> {
    /** Largest manifest accepted (the limit distribution enforces on push). */
    public static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    private static final String ACCEPT = MediaTypes.MANIFEST_ACCEPT_HEADER;

    private final Exchange exchange;
    private final String reference;
    private final String expectedDigest;
    private final AtomicLong bytesReceived;

    /**
     * @param reference      tag or digest
     * @param expectedDigest digest the bytes must have, or null for a tag
     */
    public GetManifest(Exchange exchange, String reference, String expectedDigest, AtomicLong bytesReceived) {
        this.exchange = exchange;
        this.reference = reference;
        this.expectedDigest = expectedDigest;
        this.bytesReceived = bytesReceived;
    }

    @Override
    public FetchedManifest prepare() {
        return null; // the request is always the same
    }

    @Override
    public Response send(Endpoint endpoint) throws EndpointFailure {
        return exchange.get(endpoint, endpoint.url("manifests", reference), Map.of("Accept", ACCEPT));
    }

    @Override
    public FetchedManifest read(Endpoint endpoint, Response sent) throws EndpointFailure {
        try (Response response = sent) {
            long declared = response.body().contentLength();
            if (declared > MAX_MANIFEST_BYTES) {
                throw tooLarge(declared);
            }
            byte[] bytes;
            try {
                bytes = Bodies.readLimited(response.body().byteStream(), MAX_MANIFEST_BYTES);
            } catch (Bodies.TooLargeException e) {
                throw tooLarge(-1);
            } catch (IOException e) {
                throw Failures.ofIo(e, true);
            }
            bytesReceived.addAndGet(bytes.length);
            if (declared >= 0 && declared != bytes.length) {
                throw new EndpointFailure(Outcome.TRUNCATED, response.code(),
                        "manifest body has " + bytes.length + " bytes, Content-Length said " + declared);
            }
            String digest = expectedDigest != null ? Digests.sameAlgorithm(expectedDigest, bytes)
                    : Digests.sha256(bytes);
            if (expectedDigest != null && !expectedDigest.equals(digest)) {
                throw new EndpointFailure(Outcome.DIGEST_MISMATCH, response.code(),
                        "manifest content has digest " + digest + ", expected " + expectedDigest);
            }
            String headerDigest = response.header("Docker-Content-Digest");
            if (expectedDigest == null && headerDigest != null && Digests.isValid(headerDigest)
                    && !headerDigest.equals(Digests.sameAlgorithm(headerDigest, bytes))) {
                throw new EndpointFailure(Outcome.DIGEST_MISMATCH, response.code(),
                        "manifest content has digest " + Digests.sameAlgorithm(headerDigest, bytes)
                                + " but Docker-Content-Digest says " + headerDigest);
            }
            try {
                return new FetchedManifest(bytes, digest,
                        ManifestParser.parse(bytes, response.header("Content-Type")));
            } catch (InvalidManifestException e) {
                throw new EndpointFailure(Outcome.PROTOCOL_ERROR, response.code(), e.getMessage());
            }
        }
    }

    private EndpointFailure tooLarge(long declared) {
        return new EndpointFailure(Outcome.PROTOCOL_ERROR, 200, "manifest larger than " + MAX_MANIFEST_BYTES
                + " bytes" + (declared > 0 ? " (Content-Length " + declared + ")" : "") + " refused");
    }
}
