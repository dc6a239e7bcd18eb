package dev.jpull.cli.output;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpull.cli.option.OutputFormat;
import dev.jpull.AuthResult;
import dev.jpull.DiagnosisReport;
import dev.jpull.DnsResult;
import dev.jpull.EndpointDiagnosis;
import dev.jpull.EndpointDrift;
import dev.jpull.MirrorDrift;
import dev.jpull.ManifestResult;
import dev.jpull.PingResult;
import dev.jpull.TcpResult;
import dev.jpull.TlsResult;
import dev.jpull.Printable;
import java.util.ArrayList;
import java.util.List;

/** What {@code jpull diagnose} prints on stdout: one row per endpoint, then hints; never tokens or passwords. */
public final class DiagnoseRenderer {
    private DiagnoseRenderer() {
    }

    public static String render(DiagnosisReport report, OutputFormat format) {
        return format == OutputFormat.JSON ? json(report) : text(report);
    }

    /**
     * {@code # URL LATENCY VERDICT DETAIL} rows, the drift rows when more than one endpoint can serve the image,
     * then {@code hint: #N ...} lines and a summary line.
     */
    static String text(DiagnosisReport report) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("#", "URL", "LATENCY", "VERDICT", "DETAIL"));
        int i = 1;
        for (EndpointDiagnosis d : report.endpoints()) {
            rows.add(List.of(String.valueOf(i++), d.baseUrl(), latency(d.latencyMs()),
                    d.verdict().label(), d.detail() == null ? "" : d.detail()));
        }
        StringBuilder sb = new StringBuilder(PlanRenderer.table(rows));
        String nl = System.lineSeparator();
        drift(sb, report);
        i = 1;
        for (EndpointDiagnosis d : report.endpoints()) {
            for (String hint : d.hints()) {
                sb.append("hint: #").append(i).append(' ').append(Printable.escape(hint)).append(nl);
            }
            i++;
        }
        long ok = report.endpoints().stream().filter(d -> d.verdict() == dev.jpull.Verdict.OK).count();
        String reference = Printable.escape(String.valueOf(report.reference()));
        sb.append(ok == 0 ? "no endpoint can serve " + reference
                : ok + " of " + report.endpoints().size() + " endpoints can serve " + reference).append(nl);
        return sb.toString();
    }

    /**
     * When more than one endpoint can serve the image: {@code digests of TAG:} and a {@code # URL DIGEST DRIFT
     * DETAIL} row per endpoint, compared with the registry itself.
     */
    private static void drift(StringBuilder sb, DiagnosisReport report) {
        MirrorDrift drift = report.drift();
        if (drift == null) {
            return;
        }
        String nl = System.lineSeparator();
        sb.append("digests of ").append(Printable.escape(report.reference().manifestReference()))
                .append(drift.registry() == null ? " (the registry itself did not answer):"
                        : " compared with the registry " + Printable.escape(drift.registry()) + ":").append(nl);
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("#", "URL", "DIGEST", "DRIFT", "DETAIL"));
        int i = 1;
        for (EndpointDrift e : drift.endpoints()) {
            rows.add(List.of(String.valueOf(i++), e.baseUrl(), e.digest() == null ? "-" : Printable.escape(e.digest()),
                    e.drift().label(), e.detail() == null ? "" : e.detail()));
        }
        sb.append(PlanRenderer.table(rows));
    }

    private static String latency(long ms) {
        return ms < 0 ? "-" : ms == 0 ? "<1ms" : ms + "ms";
    }

    /**
     * {@code {"reference", "servable", "endpoints": [{url, repository, verdict, detail, ..., steps, hints}]}};
     * when more than one endpoint can serve the image also {@code driftReference} (the registry compared with,
     * null when it did not answer) and {@code drifted}, and per endpoint {@code digest}, {@code drift}
     * ({@code same|stale|missing-blobs|unknown}), {@code driftDetail} and {@code missingBlobs}.
     */
    static String json(DiagnosisReport report) {
        ObjectNode root = Json.object();
        root.put("reference", String.valueOf(report.reference()));
        root.put("servable", report.servable());
        MirrorDrift drift = report.drift();
        if (drift != null) {
            root.put("driftReference", drift.registry());
            root.put("drifted", drift.drifted());
        }
        ArrayNode endpoints = root.putArray("endpoints");
        int index = 0;
        for (EndpointDiagnosis d : report.endpoints()) {
            EndpointDrift e = drift == null ? null : drift.endpoints().get(index);
            index++;
            ObjectNode n = endpoints.addObject();
            n.put("url", d.baseUrl());
            n.put("repository", d.endpoint().repository());
            n.put("verdict", d.verdict().label());
            n.put("detail", d.detail());
            if (d.latencyMs() < 0) {
                n.putNull("latencyMs");
            } else {
                n.put("latencyMs", d.latencyMs());
            }
            n.put("durationMs", d.durationMs());
            dns(n, d.dns());
            tcp(n, d.tcp());
            tls(n, d.tls());
            ping(n, d.ping());
            auth(n, d.auth());
            manifest(n, d.manifest());
            ArrayNode hints = n.putArray("hints");
            d.hints().forEach(hints::add);
            if (drift != null) {
                n.put("digest", e.digest());
                n.put("drift", e.drift().label());
                n.put("driftDetail", e.detail());
                ArrayNode missing = n.putArray("missingBlobs");
                e.missingBlobs().forEach(missing::add);
            }
        }
        return Json.write(root);
    }

    private static void dns(ObjectNode n, DnsResult r) {
        if (r == null) {
            n.putNull("dns");
            return;
        }
        ObjectNode o = n.putObject("dns");
        o.put("host", r.host());
        ArrayNode a = o.putArray("addresses");
        r.addresses().forEach(a::add);
        o.put("ms", r.ms());
        o.put("error", r.error());
    }

    private static void tcp(ObjectNode n, TcpResult r) {
        if (r == null) {
            n.putNull("tcp");
            return;
        }
        ObjectNode o = n.putObject("tcp");
        o.put("status", r.status());
        o.put("address", r.address());
        o.put("ms", r.ms());
        o.put("error", r.error());
    }

    private static void tls(ObjectNode n, TlsResult r) {
        if (r == null) {
            n.putNull("tls");
            return;
        }
        ObjectNode o = n.putObject("tls");
        o.put("protocol", r.protocol());
        o.put("subject", r.subject());
        o.put("issuer", r.issuer());
        o.put("notAfter", r.notAfter() == null ? null : r.notAfter().toString());
        ArrayNode names = o.putArray("names");
        r.names().forEach(names::add);
        o.put("verified", r.verified());
        o.put("failure", r.failure());
        o.put("error", r.error());
        o.put("ms", r.ms());
    }

    private static void ping(ObjectNode n, PingResult r) {
        if (r == null) {
            n.putNull("ping");
            return;
        }
        ObjectNode o = n.putObject("ping");
        o.put("url", r.url());
        o.put("status", r.status());
        o.put("apiVersion", r.apiVersion());
        o.put("ms", r.ms());
        o.put("error", r.error());
        o.put("registryRoot", r.registryRoot());
    }

    private static void auth(ObjectNode n, AuthResult r) {
        if (r == null) {
            n.putNull("auth");
            return;
        }
        ObjectNode o = n.putObject("auth");
        o.put("scheme", r.scheme());
        o.put("realm", r.realm());
        o.put("service", r.service());
        o.put("credentials", r.credentials());
        o.put("tokenObtained", r.tokenObtained());
        o.put("error", r.error());
    }

    private static void manifest(ObjectNode n, ManifestResult r) {
        if (r == null) {
            n.putNull("manifest");
            return;
        }
        ObjectNode o = n.putObject("manifest");
        o.put("url", r.url());
        o.put("status", r.status());
        o.put("digest", r.digest());
        o.put("mediaType", r.mediaType());
        o.put("errorCode", r.errorCode());
        o.put("error", r.error());
        o.put("ms", r.ms());
    }
}
