package dev.jpull.internal.registry;

import dev.jpull.Endpoint;
import dev.jpull.Outcome;
import java.util.Map;
import okhttp3.Response;

/**
 * {@code HEAD /v2/<name>/blobs/<digest>}: the blob's size ({@code Content-Length}), for a caller that must know
 * it before downloading (the serving mirror, asked for a blob no manifest it served named). A missing or
 * implausible length is the endpoint's protocol error; the content itself is verified when it is downloaded.
 */
public final class HeadBlob implements RegistryExecutor.Operation<Long> {
    /** Larger than any layer a registry serves; a claim beyond it is refused. */
    static final long MAX_BLOB_BYTES = 1L << 40;

    private final Exchange exchange;
    private final String digest;

    public HeadBlob(Exchange exchange, String digest) {
        this.exchange = exchange;
        this.digest = digest;
    }

    @Override
    public Long run(Endpoint endpoint) throws EndpointFailure {
        try (Response response = exchange.head(endpoint, endpoint.url("blobs", digest), Map.of())) {
            String length = response.header("Content-Length");
            long size;
            try {
                size = length == null ? -1 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 0 || size > MAX_BLOB_BYTES) {
                throw new EndpointFailure(Outcome.PROTOCOL_ERROR, response.code(),
                        "HEAD of blob " + digest + " gave no usable Content-Length");
            }
            return size;
        }
    }
}
