package dev.jpull.internal.registry;

import dev.jpull.FailoverPolicy;
import dev.jpull.FailoverPolicy.BlobFault;
import dev.jpull.Outcome;
import dev.jpull.PullListener;
import dev.jpull.Endpoint;
import dev.jpull.internal.http.CallScope;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Response;

/**
 * {@code GET /v2/<name>/blobs/<digest>} into a {@link ResumableBlob} (a destination's
 * {@link dev.jpull.spi.BlobWriter}), continuing where it stands: when the partial already holds {@code N > 0}
 * bytes (from an earlier endpoint, attempt or process) the request carries {@code Range: bytes=N-}. Answers:
 * <ul>
 *   <li>{@code 206} whose {@code Content-Range} starts at N (and whose total, if given, is the descriptor's
 *       size): the body is appended, the running hash carries on;</li>
 *   <li>{@code 200}: the endpoint ignored the range; the blob starts over (partial emptied, hash reset);</li>
 *   <li>anything else (another 2xx, a 206 for other bytes): a protocol error of this endpoint; the partial is
 *       left as it is for the next one.</li>
 * </ul>
 * A body that fails half way (reset, early end, stall) keeps what arrived, so the next attempt resumes. A body
 * longer than the descriptor's size, or a complete blob whose digest is wrong, is a digest mismatch: the partial
 * is emptied (even when earlier bytes came from another endpoint) and the next endpoint starts from zero.
 * How an answer is used and which bytes are kept after a fault are the {@link FailoverPolicy}'s decisions
 * ({@link FailoverPolicy#rangeAnswer}, {@link FailoverPolicy#afterBlobFault}); this class checks the bytes and
 * carries the decisions out on the partial.
 */
public final class GetBlob implements RegistryExecutor.Hedgeable<Long> {
    private static final int BUFFER = 256 * 1024;
    /** Progress events of one download are at least this far apart in time... */
    static final long PROGRESS_NANOS = 100_000_000L;
    /** ...unless this many bytes arrived since the previous one. */
    static final long PROGRESS_BYTES = 1024 * 1024;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private final Exchange exchange;
    private final ResumableBlob partial;
    private final AtomicLong bytesReceived;
    private final PullListener listener;
    private final FailoverPolicy policy;
    private final BodyWatch watch;
    /** The request {@link #prepare} fixed: where the body continues, and the Range header asking for it. */
    private volatile long offset;
    private volatile Map<String, String> headers = Map.of();

    /**
     * A blob request of {@code executor} (its policy, and its watch over bodies that stall or are far slower than
     * another endpoint's: {@link FailoverPolicy#hedging()}), reporting throttled {@link PullListener#blobProgress}
     * events to {@code listener}.
     *
     * @param partial       where the blob accumulates (its digest and size are the descriptor's)
     * @param bytesReceived incremented with every body byte received over the network
     */
    public GetBlob(Exchange exchange, ResumableBlob partial, AtomicLong bytesReceived, PullListener listener,
                   RegistryExecutor executor) {
        this.exchange = exchange;
        this.partial = partial;
        this.bytesReceived = bytesReceived;
        this.listener = listener;
        this.policy = executor.policy();
        this.watch = executor.bodies();
    }

    /** Fixes where the next request continues; 0 when an earlier attempt already completed the blob. */
    @Override
    public Long prepare() {
        long size = partial.size();
        if (partial.complete()) {
            if (partial.verified()) {
                return 0L; // an earlier attempt already finished it
            }
            apply(BlobFault.WRONG_DIGEST, 0); // complete but wrong (e.g. left so by an earlier run)
        }
        long at = partial.offset();
        if (partial.firstResume() && at == partial.resumedAt()) {
            listener.blobResumed(partial.digest(), at, size);
        }
        offset = at;
        headers = at > 0 && at < size ? Map.of("Range", "bytes=" + at + "-") : Map.of();
        return null;
    }

    @Override
    public Response send(Endpoint endpoint) throws EndpointFailure {
        listener.blobStarted(partial.digest(), partial.size(), endpoint.baseUrl());
        return exchange.get(endpoint, endpoint.url("blobs", partial.digest()), headers);
    }

    /** Returns the number of bytes received by this request; afterwards the partial is complete and verified. */
    @Override
    public Long read(Endpoint endpoint, Response sent) throws EndpointFailure {
        String digest = partial.digest();
        long size = partial.size();
        long offset = this.offset;
        Map<String, String> headers = this.headers;
        try (Response response = sent) {
            int status = response.code();
            long declared = response.body().contentLength();
            FailoverPolicy.RangeAnswer use = policy.rangeAnswer(!headers.isEmpty(), status);
            if (use == FailoverPolicy.RangeAnswer.RESUME) {
                checkContentRange(response, offset, size, declared);
            } else if (use == FailoverPolicy.RangeAnswer.REFUSE) {
                throw new EndpointFailure(Outcome.PROTOCOL_ERROR, status, "unexpected HTTP " + status
                        + (headers.isEmpty() ? " to a request without Range" : " to Range: bytes=" + offset + "-"));
            } else {
                if (declared >= 0 && declared != size) {
                    throw new EndpointFailure(Outcome.DIGEST_MISMATCH, status,
                            "size mismatch: Content-Length " + declared + ", descriptor says " + size);
                }
                partial.reset(); // a full body: start over even if we asked for a range
            }
            long start = partial.offset();
            long got = receive(response, start, size, endpoint);
            if (partial.offset() < size) {
                long kept = partial.offset();
                apply(BlobFault.CUT, start);
                throw new EndpointFailure(Outcome.TRUNCATED, status, "body ended after " + kept
                        + " of " + size + " bytes" + (start > 0 ? " (resumed at byte " + start + ")" : ""));
            }
            String actual = partial.actualDigest();
            if (!actual.equals(digest)) {
                apply(BlobFault.WRONG_DIGEST, start);
                throw new EndpointFailure(Outcome.DIGEST_MISMATCH, status, "content has digest " + actual
                        + ", expected " + digest + (start > 0 ? " (resumed at byte " + start
                        + "; the blob is fetched again from byte 0)" : ""));
            }
            return got;
        }
    }

    /**
     * Streams the body into the partial. Socket reads are small (OkHttp hands over 8 KiB segments), so they are
     * gathered into a large buffer and hashed and written once it is full: a few thousand writes for a large
     * layer instead of one per segment. Whatever is gathered when the body fails is still written, so a resume
     * starts exactly where the bytes stopped.
     */
    private long receive(Response response, long start, long size, Endpoint from) throws EndpointFailure {
        String endpoint = from.baseUrl();
        long got = 0;
        byte[] buf = new byte[BUFFER];
        int filled = 0;
        long lastEventNanos = System.nanoTime();
        long lastEventOffset = start;
        BodyWatch.Body watched = watch.watch(from, CallScope.current(), start, size); // null: not watched
        try (InputStream in = response.body().byteStream()) {
            int n;
            while ((n = in.read(buf, filled, buf.length - filled)) != -1) {
                if (watched != null) {
                    watched.received(n);
                }
                got += n;
                bytesReceived.addAndGet(n);
                if (partial.offset() + filled + n > size) {
                    apply(BlobFault.TOO_LONG, start);
                    throw new EndpointFailure(Outcome.DIGEST_MISMATCH, response.code(),
                            "size mismatch: body longer than the descriptor's " + size + " bytes");
                }
                filled += n;
                if (filled == buf.length) {
                    filled = flush(buf, filled);
                }
                if (listener != PullListener.NONE) {
                    long offset = partial.offset() + filled;
                    long now = System.nanoTime();
                    if (offset == size || now - lastEventNanos >= PROGRESS_NANOS
                            || offset - lastEventOffset >= PROGRESS_BYTES) {
                        listener.blobProgress(partial.digest(), offset, size, endpoint);
                        lastEventNanos = now;
                        lastEventOffset = offset;
                    }
                }
            }
            filled = flush(buf, filled);
        } catch (IOException e) {
            if (filled > 0) {
                try {
                    flush(buf, filled);
                } catch (RuntimeException ignored) {
                    // the partial is re-hashed from disk on the next run; what is written is what counts
                }
            }
            long kept = partial.offset();
            apply(BlobFault.CUT, start);
            if (watched != null && watched.verdict() != null) {
                throw new EndpointFailure(watched.verdict(), response.code(), "body abandoned after " + kept
                        + " of " + size + " bytes: " + watched.reason(), e);
            }
            EndpointFailure f = Failures.ofIo(e, true);
            throw new EndpointFailure(f.outcome(), response.code(), "body failed after " + kept
                    + " of " + size + " bytes" + (start > 0 ? " (resumed at byte " + start + ")" : "") + ": "
                    + f.getMessage(), e);
        } finally {
            if (watched != null) {
                watched.close();
            }
        }
        return got;
    }

    /** Keeps or drops the partial's bytes after {@code fault}, as the policy decides. */
    private void apply(BlobFault fault, long resumedAt) {
        switch (policy.afterBlobFault(fault, resumedAt, partial.resumable())) {
            case PREFIX -> { }
            case NOTHING -> partial.reset();
            case NOTHING_AND_STOP_RESUMING -> partial.rejectPrefix();
        }
    }

    /** Appends {@code buf[0..filled)} to the partial; returns 0 (the new fill level). */
    private int flush(byte[] buf, int filled) {
        if (filled > 0) {
            partial.append(buf, 0, filled);
        }
        return 0;
    }

    /** A 206 must be for {@code bytes offset-(size-1 or less)/size}; otherwise it is a protocol error. */
    private static void checkContentRange(Response response, long offset, long size, long declared)
            throws EndpointFailure {
        String header = response.header("Content-Range");
        Matcher m = header == null ? null : CONTENT_RANGE.matcher(header.trim());
        if (m == null || !m.matches()) {
            throw new EndpointFailure(Outcome.PROTOCOL_ERROR, 206, "206 to Range: bytes=" + offset + "- with "
                    + (header == null ? "no Content-Range" : "unusable Content-Range \"" + header + "\""));
        }
        long first;
        long last;
        try {
            first = Long.parseLong(m.group(1));
            last = Long.parseLong(m.group(2));
        } catch (NumberFormatException e) {
            first = -1;
            last = -1;
        }
        boolean totalOk = m.group(3).equals("*") || m.group(3).equals(Long.toString(size));
        if (first != offset || last < first || last >= size || !totalOk) {
            throw new EndpointFailure(Outcome.PROTOCOL_ERROR, 206, "206 to Range: bytes=" + offset
                    + "- with Content-Range \"" + header + "\" (expected bytes " + offset + "-" + (size - 1) + "/"
                    + size + ")");
        }
        if (declared >= 0 && declared != last - first + 1) {
            throw new EndpointFailure(Outcome.PROTOCOL_ERROR, 206, "206 with Content-Length " + declared
                    + " for Content-Range \"" + header + "\"");
        }
    }
}
