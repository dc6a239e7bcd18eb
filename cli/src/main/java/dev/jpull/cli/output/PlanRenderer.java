package dev.jpull.cli.output;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpull.cli.option.OutputFormat;
import dev.jpull.Endpoint;
import dev.jpull.EndpointPlan;
import dev.jpull.Printable;
import dev.jpull.RememberedEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What {@code jpull resolve} prints on stdout: the endpoint plan, never credentials. */
public final class PlanRenderer {
    private PlanRenderer() {
    }

    public static String render(EndpointPlan plan, OutputFormat format) {
        return render(plan, format, Map.of(), Instant.now());
    }

    /** As above, with what earlier pulls remember of the endpoints (by base URL) as of {@code now}. */
    public static String render(EndpointPlan plan, OutputFormat format, Map<String, RememberedEndpoint> remembered,
                                Instant now) {
        return format == OutputFormat.JSON ? json(plan, remembered, now) : text(plan, remembered, now);
    }

    static String text(EndpointPlan plan) {
        return text(plan, Map.of(), Instant.now());
    }

    /**
     * A table, one row per endpoint in the order they are tried; the NS column only when some endpoint has one,
     * the REMEMBERED column (last) only when something is remembered of some endpoint.
     */
    static String text(EndpointPlan plan, Map<String, RememberedEndpoint> remembered, Instant now) {
        boolean withNs = plan.endpoints().stream().anyMatch(e -> e.namespace() != null);
        boolean withMemory = plan.endpoints().stream().anyMatch(e -> remembered.containsKey(e.baseUrl()));
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("#", "URL", "REPOSITORY", "CREDENTIALS", "TLS", "DEFAULT"));
        if (withNs) {
            header.add("NS");
        }
        if (withMemory) {
            header.add("REMEMBERED");
        }
        rows.add(header);
        int i = 1;
        for (Endpoint e : plan.endpoints()) {
            List<String> row = new ArrayList<>(List.of(String.valueOf(i++), e.baseUrl(), e.repository(),
                    e.credentialsKind(), e.tlsMode(), e.isDefault() ? "yes" : "no"));
            if (withNs) {
                row.add(e.namespace() == null ? "-" : e.namespace());
            }
            if (withMemory) {
                RememberedEndpoint r = remembered.get(e.baseUrl());
                row.add(r == null ? "-" : remembered(r, now));
            }
            rows.add(row);
        }
        return table(rows);
    }

    /** E.g. {@code timeout 2m ago, rtt 41 ms, 11.9MB/s}; the round trip and throughput only when observed. */
    static String remembered(RememberedEndpoint r, Instant now) {
        StringBuilder sb = new StringBuilder(r.outcome().label()).append(' ').append(ago(r.at(), now));
        if (r.rttMillis() >= 0) {
            sb.append(", rtt ").append(r.rttMillis()).append(" ms");
        }
        if (r.bytesPerSecond() >= 0) {
            sb.append(", ").append(Sizes.human(r.bytesPerSecond())).append("/s");
        }
        return sb.toString();
    }

    /** {@code 12s ago}, {@code 2m ago}, {@code 3h ago} (whole units, rounded down; a time ahead of now is 0s). */
    static String ago(Instant at, Instant now) {
        long s = Math.max(0, Duration.between(at, now).toSeconds());
        return s < 60 ? s + "s ago" : s < 3600 ? s / 60 + "m ago" : s / 3600 + "h ago";
    }

    static String json(EndpointPlan plan) {
        return json(plan, Map.of(), Instant.now());
    }

    /**
     * {@code {"reference": ..., "endpoints": [{url, repository, namespace, credentials, tls, default, mirror,
     * configKey, remembered}]}}; {@code remembered} is null, or {@code {outcome, healthy, at, ageMs, rttMs,
     * bytesPerSecond}} (the last two null when not observed).
     */
    static String json(EndpointPlan plan, Map<String, RememberedEndpoint> remembered, Instant now) {
        ObjectNode root = Json.object();
        root.put("reference", String.valueOf(plan.reference()));
        ArrayNode endpoints = root.putArray("endpoints");
        for (Endpoint e : plan.endpoints()) {
            ObjectNode n = endpoints.addObject();
            n.put("url", e.baseUrl());
            n.put("repository", e.repository());
            n.put("namespace", e.namespace());
            n.put("credentials", e.credentialsKind());
            n.put("tls", e.tlsMode());
            n.put("default", e.isDefault());
            n.put("mirror", e.mirrorName());
            n.put("configKey", e.configKey());
            RememberedEndpoint r = remembered.get(e.baseUrl());
            if (r == null) {
                n.putNull("remembered");
            } else {
                ObjectNode m = n.putObject("remembered");
                m.put("outcome", r.outcome().label());
                m.put("healthy", r.healthy());
                m.put("at", r.at().toString());
                m.put("ageMs", Math.max(0, Duration.between(r.at(), now).toMillis()));
                if (r.rttMillis() >= 0) {
                    m.put("rttMs", r.rttMillis());
                } else {
                    m.putNull("rttMs");
                }
                if (r.bytesPerSecond() >= 0) {
                    m.put("bytesPerSecond", r.bytesPerSecond());
                } else {
                    m.putNull("bytesPerSecond");
                }
            }
        }
        return Json.write(root);
    }

    /** Left-aligned columns separated by two spaces, no trailing blanks; cells escaped ({@link Printable}). */
    static String table(List<List<String>> input) {
        List<List<String>> rows = input.stream().map(r -> r.stream().map(Printable::escape).toList()).toList();
        int columns = rows.get(0).size();
        int[] width = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                line.append(row.get(c));
                if (c < columns - 1) {
                    line.append(" ".repeat(width[c] - row.get(c).length() + 2));
                }
            }
            sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        return sb.toString();
    }
}
