package dev.jpull.internal.diagnose;

import dev.jpull.EndpointDiagnosis;
import dev.jpull.ManifestResult;
import dev.jpull.PingResult;
import dev.jpull.TlsResult;
import dev.jpull.Verdict;

/** Turns the steps of a probe into a {@link Verdict} and a one-line detail. */
final class Judge {
    private Judge() {
    }

    static EndpointDiagnosis judge(EndpointDiagnosis d) {
        if (d.dns() == null || !d.dns().ok()) {
            return d.withVerdict(Verdict.DNS_ERROR, d.dns() == null ? "no host" : d.dns().error());
        }
        if (d.tcp() == null || !d.tcp().ok()) {
            boolean timeout = d.tcp() != null && "timeout".equals(d.tcp().status());
            return d.withVerdict(timeout ? Verdict.TIMEOUT : Verdict.UNREACHABLE,
                    d.tcp() == null ? "not connected" : d.tcp().error());
        }
        boolean https = "https".equals(d.endpoint().scheme());
        if (https && d.tls() != null && !d.tls().verified()) {
            return d.withVerdict(TlsResult.TIMEOUT.equals(d.tls().failure()) ? Verdict.TIMEOUT : Verdict.TLS_ERROR,
                    d.tls().error());
        }
        if (!https && d.tls() != null && d.tls().speaksTls()) {
            return d.withVerdict(Verdict.PROTOCOL_ERROR, "plain HTTP endpoint, but the server speaks TLS");
        }
        PingResult ping = d.ping();
        if (ping == null || !ping.answered()) {
            String error = ping == null ? "no answer" : ping.error();
            return d.withVerdict(isTimeout(error) ? Verdict.TIMEOUT : Verdict.PROTOCOL_ERROR,
                    "GET " + (ping == null ? d.baseUrl() + "/" : ping.url()) + ": " + error);
        }
        if (d.auth() != null && !d.auth().tokenObtained()) {
            return d.withVerdict(d.auth().status() == 403 ? Verdict.FORBIDDEN : Verdict.UNAUTHORIZED,
                    d.auth().error());
        }
        return manifest(d, ping);
    }

    private static EndpointDiagnosis manifest(EndpointDiagnosis d, PingResult ping) {
        ManifestResult m = d.manifest();
        if (m == null) {
            return d.withVerdict(Verdict.PROTOCOL_ERROR, "manifest not requested");
        }
        int status = m.status();
        if (status == 0) {
            return d.withVerdict(isTimeout(m.error()) ? Verdict.TIMEOUT : Verdict.PROTOCOL_ERROR,
                    "HEAD manifest: " + m.error());
        }
        if (status >= 200 && status < 300) {
            return d.withVerdict(Verdict.OK, (m.digest() == null ? "no digest header" : m.digest())
                    + (m.mediaType() == null ? "" : " " + m.mediaType()));
        }
        String answer = "HEAD manifest: " + status + (m.errorCode() == null ? "" : " " + m.errorCode())
                + (m.error() == null || m.error().equals("HTTP " + status) ? "" : " (" + m.error() + ")");
        if (!ping.registryAnswer() && m.errorCode() == null) {
            return d.withVerdict(Verdict.NOT_A_REGISTRY, "GET " + ping.url() + " answered " + ping.status()
                    + ", " + answer);
        }
        Verdict v;
        if (status == 401) {
            v = Verdict.UNAUTHORIZED;
        } else if (status == 403) {
            v = Verdict.FORBIDDEN;
        } else if (status == 404) {
            v = Verdict.NOT_FOUND;
        } else if (status == 429) {
            v = Verdict.THROTTLED;
        } else if (status >= 500) {
            v = Verdict.SERVER_ERROR;
        } else {
            v = ping.registryAnswer() ? Verdict.PROTOCOL_ERROR : Verdict.NOT_A_REGISTRY;
        }
        return d.withVerdict(v, answer);
    }

    private static boolean isTimeout(String error) {
        return error != null && error.toLowerCase(java.util.Locale.ROOT).contains("timeout")
                || error != null && error.contains("timed out");
    }
}
