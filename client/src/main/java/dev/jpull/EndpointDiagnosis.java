package dev.jpull;

import java.util.List;

/**
 * The probe of one endpoint. Steps run in order (DNS, TCP, TLS for https, ping, auth, manifest) and stop at the
 * first one that makes the rest pointless; a step that did not run is null.
 *
 * @param endpoint   the endpoint probed
 * @param dns        name resolution
 * @param tcp        TCP connect, null when DNS failed
 * @param tls        TLS handshake: always for https; for http only when the port turned out to speak TLS
 * @param ping       {@code GET <apiRoot>/}
 * @param auth       the challenge and its answer, null when nothing asked for credentials
 * @param manifest   the manifest HEAD
 * @param verdict    whether and why not the endpoint can serve the image
 * @param detail     one line explaining the verdict (control characters of server text escaped, {@link Printable})
 * @param hints      likely configuration mistakes and what to change, possibly empty (escaped likewise)
 * @param durationMs wall time of the whole probe
 */
public record EndpointDiagnosis(Endpoint endpoint, DnsResult dns, TcpResult tcp, TlsResult tls, PingResult ping,
                                AuthResult auth, ManifestResult manifest, Verdict verdict, String detail,
                                List<String> hints, long durationMs) {
    public EndpointDiagnosis {
        detail = Printable.escape(detail);
        hints = hints.stream().map(Printable::escape).toList();
    }

    /** {@code scheme://host/apiRoot}: identifies the endpoint. */
    public String baseUrl() {
        return endpoint.baseUrl();
    }

    /** Round trip of the registry's answer to the ping, else the TCP connect time, else -1. */
    public long latencyMs() {
        if (ping != null && ping.answered()) {
            return ping.ms();
        }
        return tcp != null && tcp.ok() ? tcp.ms() : -1;
    }

    public EndpointDiagnosis withVerdict(Verdict v, String d) {
        return new EndpointDiagnosis(endpoint, dns, tcp, tls, ping, auth, manifest, v, d, hints, durationMs);
    }

    public EndpointDiagnosis withHints(List<String> h) {
        return new EndpointDiagnosis(endpoint, dns, tcp, tls, ping, auth, manifest, verdict, detail, h, durationMs);
    }
}
