package dev.jpull.cli.output;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpull.cli.option.OutputFormat;
import dev.jpull.Endpoint;
import dev.jpull.EndpointPlan;
import dev.jpull.Printable;
import java.util.ArrayList;
import java.util.List;

/** What {@code jpull resolve} prints on stdout: the endpoint plan, never credentials. */
public final class PlanRenderer {
    private PlanRenderer() {
    }

    public static String render(EndpointPlan plan, OutputFormat format) {
        return format == OutputFormat.JSON ? json(plan) : text(plan);
    }

    /** A table, one row per endpoint in the order they are tried; the NS column only when some endpoint has one. */
    static String text(EndpointPlan plan) {
        boolean withNs = plan.endpoints().stream().anyMatch(e -> e.namespace() != null);
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("#", "URL", "REPOSITORY", "CREDENTIALS", "TLS", "DEFAULT"));
        if (withNs) {
            header.add("NS");
        }
        rows.add(header);
        int i = 1;
        for (Endpoint e : plan.endpoints()) {
            List<String> row = new ArrayList<>(List.of(String.valueOf(i++), e.baseUrl(), e.repository(),
                    e.credentialsKind(), e.tlsMode(), e.isDefault() ? "yes" : "no"));
            if (withNs) {
                row.add(e.namespace() == null ? "-" : e.namespace());
            }
            rows.add(row);
        }
        return table(rows);
    }

    /** {@code {"reference": ..., "endpoints": [{url, repository, namespace, credentials, tls, default, mirror, configKey}]}}. */
    static String json(EndpointPlan plan) {
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
