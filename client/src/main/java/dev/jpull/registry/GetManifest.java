package dev.jpull.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jpull.Outcome;
import dev.jpull.oci.Digests;
import dev.jpull.oci.Json;
import dev.jpull.oci.MediaTypes;
import dev.jpull.resolve.Endpoint;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Response;

/**
 * {@code GET /v2/<name>/manifests/<ref>}: sends all four manifest media types in {@code Accept}, reads at most
 * 4 MiB, hashes the exact bytes, and verifies them against the requested digest (by-digest) or against
 * {@code Docker-Content-Digest} (by-tag). A mismatch is the endpoint's fault, not the pull's.
 */
public final class GetManifest implements RegistryExecutor.Operation<FetchedManifest> {
    /** Largest manifest accepted (the limit distribution enforces on push). */
    public static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    private static final String ACCEPT = String.join(", ", MediaTypes.MANIFEST_ACCEPT);

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
    public FetchedManifest run(Endpoint endpoint) throws EndpointFailure {
        try (Response response = exchange.get(endpoint, endpoint.url("manifests", reference),
                Map.of("Accept", ACCEPT))) {
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
            String digest = Digests.sha256(bytes);
            String headerDigest = response.header("Docker-Content-Digest");
            if (expectedDigest != null && !expectedDigest.equals(digest)) {
                throw new EndpointFailure(Outcome.DIGEST_MISMATCH, response.code(),
                        "manifest content has digest " + digest + ", expected " + expectedDigest);
            }
            if (expectedDigest == null && headerDigest != null && Digests.isValid(headerDigest)
                    && !headerDigest.equals(digest)) {
                throw new EndpointFailure(Outcome.DIGEST_MISMATCH, response.code(),
                        "manifest content has digest " + digest + " but Docker-Content-Digest says "
                                + headerDigest);
            }
            return new FetchedManifest(bytes, digest, mediaType(bytes, response.header("Content-Type")));
        }
    }

    private static String mediaType(byte[] bytes, String contentType) throws EndpointFailure {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new EndpointFailure(Outcome.PROTOCOL_ERROR, 200, "manifest body is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new EndpointFailure(Outcome.PROTOCOL_ERROR, 200, "manifest body is not a JSON object");
        }
        String type = node.path("mediaType").asText(null);
        if (type == null || type.isEmpty()) {
            type = contentType == null ? null : contentType.split(";", 2)[0].trim();
        }
        if (type == null || type.isEmpty()) {
            // An OCI manifest may omit mediaType; tell it apart from an index by its fields.
            type = node.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
        }
        if (MediaTypes.isSchema1(type) || node.path("schemaVersion").asInt() == 1) {
            throw new EndpointFailure(Outcome.PROTOCOL_ERROR, 200,
                    "Docker schema 1 manifests are not supported (deprecated since 2017); rebuild the image");
        }
        if (!MediaTypes.isIndex(type) && !MediaTypes.isImageManifest(type)) {
            throw new EndpointFailure(Outcome.PROTOCOL_ERROR, 200, "unsupported manifest media type " + type);
        }
        return type;
    }

    private EndpointFailure tooLarge(long declared) {
        return new EndpointFailure(Outcome.PROTOCOL_ERROR, 200, "manifest larger than " + MAX_MANIFEST_BYTES
                + " bytes" + (declared > 0 ? " (Content-Length " + declared + ")" : "") + " refused");
    }
}
