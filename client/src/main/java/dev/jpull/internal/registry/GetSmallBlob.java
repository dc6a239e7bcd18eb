package dev.jpull.internal.registry;

import dev.jpull.Endpoint;
import dev.jpull.Outcome;
import dev.jpull.internal.http.Bodies;
import dev.jpull.internal.oci.Digests;
import java.io.IOException;
import java.util.Map;
import okhttp3.Response;

/**
 * {@code GET /v2/<name>/blobs/<digest>} of a small blob read into memory (an image config, for
 * {@code jpull inspect}): at most {@link #MAX_BYTES}, its size and digest verified as a pull verifies every blob, so
 * a wrong or truncated body fails over to the next endpoint. Layers go through {@link GetBlob} instead.
 */
public final class GetSmallBlob implements RegistryExecutor.Hedgeable<byte[]> {
    /** Largest blob read into memory (the bound the store reads configs with). */
    public static final int MAX_BYTES = 16 * 1024 * 1024;

    private final Exchange exchange;
    private final String digest;
    private final long size;

    /** @param size the descriptor's size (-1: not checked, only the digest) */
    public GetSmallBlob(Exchange exchange, String digest, long size) {
        this.exchange = exchange;
        this.digest = Digests.requireValid(digest);
        this.size = size;
    }

    @Override
    public byte[] prepare() {
        return null;
    }

    @Override
    public Response send(Endpoint endpoint) throws EndpointFailure {
        return exchange.get(endpoint, endpoint.url("blobs", digest), Map.of());
    }

    @Override
    public byte[] read(Endpoint endpoint, Response sent) throws EndpointFailure {
        if (size > MAX_BYTES) {
            sent.close();
            throw new EndpointFailure(Outcome.PROTOCOL_ERROR, 200,
                    "blob " + digest + " of " + size + " bytes is too large to read into memory");
        }
        try (Response response = sent) {
            byte[] bytes;
            try {
                bytes = Bodies.readLimited(response.body().byteStream(), MAX_BYTES);
            } catch (Bodies.TooLargeException e) {
                throw new EndpointFailure(Outcome.PROTOCOL_ERROR, response.code(),
                        "blob " + digest + " larger than " + MAX_BYTES + " bytes refused");
            } catch (IOException e) {
                throw Failures.ofIo(e, true);
            }
            if (size >= 0 && bytes.length != size) {
                throw new EndpointFailure(bytes.length < size ? Outcome.TRUNCATED : Outcome.DIGEST_MISMATCH,
                        response.code(), "blob " + digest + " has " + bytes.length + " bytes, expected " + size);
            }
            String actual = Digests.sameAlgorithm(digest, bytes);
            if (!actual.equals(digest)) {
                throw new EndpointFailure(Outcome.DIGEST_MISMATCH, response.code(),
                        "blob content has digest " + actual + ", expected " + digest);
            }
            return bytes;
        }
    }
}
