package dev.jpull.internal.serve;

import dev.jpull.Attempt;
import dev.jpull.Outcome;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The mirror's counters, rendered in the Prometheus text format at {@code /metrics}: requests by method, kind and
 * status; bytes served from the store and from upstream downloads; upstream attempts and failovers by endpoint and
 * outcome; downloads in flight; tags answered stale. Label values are escaped as the format requires; endpoint
 * labels are base URLs, which never carry credentials.
 */
final class ServeMetrics {
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> bytes = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> attempts = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failovers = new ConcurrentHashMap<>();
    private final LongAdder staleTags = new LongAdder();
    private volatile IntSupplier inFlight = () -> 0;

    void inFlight(IntSupplier downloads) {
        this.inFlight = downloads;
    }

    void request(String method, String kind, int status) {
        count(requests, "method=\"" + esc(method) + "\",kind=\"" + kind + "\",status=\"" + status + "\"", 1);
    }

    /** {@code n} body bytes sent to a client, from the store or from a download in progress. */
    void served(boolean fromStore, long n) {
        if (n > 0) {
            count(bytes, "source=\"" + (fromStore ? "store" : "upstream") + "\"", n);
        }
    }

    /** The attempts of a request that succeeded, and its success at {@code endpoint} when they do not list it. */
    void served(List<Attempt> list, String endpoint) {
        attempts(list);
        boolean listed = !list.isEmpty() && list.get(list.size() - 1).outcome() == Outcome.OK;
        if (endpoint != null && !listed) {
            count(attempts, "endpoint=\"" + esc(endpoint) + "\",outcome=\"ok\"", 1);
        }
    }

    void attempts(List<Attempt> list) {
        for (Attempt a : list) {
            String labels = "endpoint=\"" + esc(a.endpoint()) + "\",outcome=\"" + a.outcome().label() + "\"";
            count(attempts, labels, 1);
            if (a.outcome() != Outcome.OK) {
                count(failovers, labels, 1);
            }
        }
    }

    /** A tag answered with what it last resolved to, because no upstream endpoint could answer. */
    void staleTag() {
        staleTags.increment();
    }

    private static void count(Map<String, LongAdder> map, String labels, long n) {
        map.computeIfAbsent(labels, k -> new LongAdder()).add(n);
    }

    String render() {
        StringBuilder out = new StringBuilder();
        family(out, "jpull_serve_requests_total", "Requests answered, by method, kind and status.", requests);
        family(out, "jpull_serve_bytes_total", "Body bytes sent to clients, by where they came from.", bytes);
        family(out, "jpull_serve_upstream_attempts_total", "Upstream requests, by endpoint and outcome.", attempts);
        family(out, "jpull_serve_upstream_failovers_total",
                "Upstream requests that failed and moved on, by endpoint and outcome.", failovers);
        out.append("# HELP jpull_serve_downloads_in_flight Upstream blob downloads running now.\n")
                .append("# TYPE jpull_serve_downloads_in_flight gauge\n")
                .append("jpull_serve_downloads_in_flight ").append(inFlight.getAsInt()).append('\n');
        out.append("# HELP jpull_serve_stale_tags_total Tags answered with the manifest they last resolved to, no "
                        + "upstream endpoint being available.\n")
                .append("# TYPE jpull_serve_stale_tags_total counter\n")
                .append("jpull_serve_stale_tags_total ").append(staleTags.sum()).append('\n');
        return out.toString();
    }

    private static void family(StringBuilder out, String name, String help, Map<String, LongAdder> values) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n");
        new TreeMap<>(values).forEach((labels, v) -> out.append(name).append('{').append(labels).append("} ")
                .append(v.sum()).append('\n'));
    }

    /** A label value as the text format wants it: backslash, double quote and line feed escaped. */
    static String esc(String value) {
        StringBuilder b = new StringBuilder();
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                default -> b.append(c < 0x20 || c == 0x7f ? '?' : c);
            }
        }
        return b.toString();
    }
}
