package dev.jpull.cli.output;

import dev.jpull.Attempt;
import dev.jpull.BlobResult;
import dev.jpull.PullListener;
import dev.jpull.Outcome;
import dev.jpull.PullResult;
import dev.jpull.Endpoint;
import dev.jpull.EndpointPlan;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the failover trace of a pull on stderr: one line per failed attempt, recoveries, which endpoint served the
 * manifest, warnings, and a closing summary of which endpoint served how many blobs. Thread-safe.
 */
public final class TraceListener implements PullListener {
    private final PrintWriter err;
    private volatile List<String> endpointOrder = List.of();

    public TraceListener(PrintWriter err) {
        this.err = err;
    }

    /** Tells the trace the endpoint order, so that a failure on the last endpoint does not promise a next one. */
    public void plan(EndpointPlan plan) {
        endpointOrder = plan.endpoints().stream().map(Endpoint::baseUrl).toList();
    }

    @Override
    public void attemptFailed(Attempt a) {
        if (a.outcome() == Outcome.HEDGED) {
            print(describe(a)); // not a failure: the request went on (or had gone) to another endpoint
            return;
        }
        print(describe(a) + (isLast(a.endpoint()) ? " -> no endpoint left" : " -> trying next endpoint"));
    }

    @Override
    public void recovered(Attempt a) {
        print("jpull: " + a.endpoint() + " " + a.target() + ": ok after failover");
    }

    @Override
    public void manifestResolved(String ref, String digest, String mediaType, String endpoint) {
        // a reference by digest (or an index's child, fetched by its digest) names the digest once
        print("jpull: manifest " + ref + (ref.equals(digest) ? "" : " (" + digest + ")") + " from " + endpoint);
    }

    @Override
    public void blobResumed(String digest, long offset, long size) {
        print("jpull: resuming " + ProgressRenderer.shortDigest(digest) + "... at " + bytes(offset) + " of "
                + bytes(size));
    }

    @Override
    public void rateLimit(String endpoint, String limit, String remaining) {
        print("jpull: " + endpoint + " rate limit: " + (remaining == null ? "?" : remaining) + " of "
                + (limit == null ? "?" : limit) + " pulls remaining");
    }

    @Override
    public void warning(String message) {
        print("jpull: warning: " + message);
    }

    /** Prints the closing summary of {@code result}. */
    public void summary(PullResult result) {
        print(summaryLine(result));
    }

    /** {@code jpull: <endpoint> <target>: <outcome> (HTTP nnn) <error>}. */
    static String describe(Attempt a) {
        StringBuilder sb = new StringBuilder("jpull: ").append(a.endpoint()).append(' ').append(a.target())
                .append(": ").append(a.outcome().label());
        if (a.status() > 0) {
            sb.append(" (HTTP ").append(a.status()).append(')');
        }
        if (a.error() != null && !a.error().isEmpty()) {
            sb.append(' ').append(a.error());
        }
        return sb.toString();
    }

    /**
     * E.g. {@code jpull: pulled docker.io/library/alpine:latest: 2 blobs from https://m/v2, 1 blob from
     * https://registry-1.docker.io/v2, 1 cached; 3.4 MB in 1.2 s}.
     */
    static String summaryLine(PullResult result) {
        Map<String, Integer> served = new LinkedHashMap<>();
        int cached = 0;
        for (BlobResult b : result.blobs()) {
            if (b.cached()) {
                cached++;
            } else {
                served.merge(String.valueOf(b.endpoint()), 1, Integer::sum);
            }
        }
        StringBuilder sb = new StringBuilder("jpull: pulled ").append(result.reference()).append(": ");
        String sep = "";
        for (Map.Entry<String, Integer> e : served.entrySet()) {
            sb.append(sep).append(blobs(e.getValue())).append(" from ").append(e.getKey());
            sep = ", ";
        }
        if (cached > 0 || served.isEmpty()) {
            sb.append(sep).append(cached).append(" cached");
        }
        return sb.append("; ").append(bytes(result.bytesDownloaded())).append(" in ")
                .append(String.format(Locale.ROOT, "%.1f s", result.durationMs() / 1000.0)).toString();
    }

    private static String blobs(int n) {
        return n + (n == 1 ? " blob" : " blobs");
    }

    /** A byte count in the one style of jpull's output ({@link Sizes}: {@code 3.148MB}, crictl's). */
    static String bytes(long n) {
        return Sizes.human(n);
    }

    private boolean isLast(String endpoint) {
        List<String> order = endpointOrder;
        return !order.isEmpty() && order.get(order.size() - 1).equals(endpoint);
    }

    private void print(String line) {
        synchronized (err) {
            err.println(line);
            err.flush();
        }
    }
}
