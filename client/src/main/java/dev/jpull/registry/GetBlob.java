package dev.jpull.registry;

import dev.jpull.Outcome;
import dev.jpull.oci.Descriptor;
import dev.jpull.oci.Digests;
import dev.jpull.resolve.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Response;

/**
 * {@code GET /v2/<name>/blobs/<digest>}: streams the body once into {@code target}, hashing on the way, and
 * verifies size and digest. Reads at most the descriptor's size plus one byte, so an endpoint that sends more is
 * caught without reading it all. On any failure the partial file is emptied so the next endpoint starts clean.
 */
public final class GetBlob implements RegistryExecutor.Operation<Long> {
    private static final int BUFFER = 256 * 1024;

    private final Exchange exchange;
    private final Descriptor descriptor;
    private final Path target;
    private final AtomicLong bytesReceived;

    public GetBlob(Exchange exchange, Descriptor descriptor, Path target, AtomicLong bytesReceived) {
        this.exchange = exchange;
        this.descriptor = descriptor;
        this.target = target;
        this.bytesReceived = bytesReceived;
    }

    /** Returns the number of bytes written (the blob's size). */
    @Override
    public Long run(Endpoint endpoint) throws EndpointFailure {
        String digest = descriptor.digest();
        long expected = descriptor.size();
        try (Response response = exchange.get(endpoint, endpoint.url("blobs", digest), Map.of())) {
            long declared = response.body().contentLength();
            if (declared >= 0 && declared != expected) {
                throw new EndpointFailure(Outcome.DIGEST_MISMATCH, response.code(),
                        "size mismatch: Content-Length " + declared + ", descriptor says " + expected);
            }
            MessageDigest md = Digests.newSha256();
            long total = 0;
            try (InputStream in = response.body().byteStream();
                 OutputStream out = Files.newOutputStream(target)) {
                byte[] buf = new byte[BUFFER];
                int n;
                while ((n = in.read(buf)) != -1) {
                    total += n;
                    bytesReceived.addAndGet(n);
                    if (total > expected) {
                        throw new EndpointFailure(Outcome.DIGEST_MISMATCH, response.code(),
                                "size mismatch: body longer than the descriptor's " + expected + " bytes");
                    }
                    md.update(buf, 0, n);
                    out.write(buf, 0, n);
                }
            } catch (IOException e) {
                EndpointFailure f = Failures.ofIo(e, true);
                throw new EndpointFailure(f.outcome(), response.code(),
                        "body failed after " + total + " of " + expected + " bytes: " + f.getMessage(), e);
            }
            if (total < expected) {
                throw new EndpointFailure(Outcome.TRUNCATED, response.code(),
                        "body ended after " + total + " of " + expected + " bytes");
            }
            String actual = Digests.of(md);
            if (!actual.equals(digest)) {
                throw new EndpointFailure(Outcome.DIGEST_MISMATCH, response.code(),
                        "content has digest " + actual + ", expected " + digest);
            }
            return total;
        } catch (EndpointFailure f) {
            truncateQuietly();
            throw f;
        }
    }

    private void truncateQuietly() {
        try {
            Files.deleteIfExists(target);
        } catch (IOException ignored) {
            // the staging file is replaced on the next attempt anyway
        }
    }
}
