package dev.jpull;

import java.time.Instant;
import java.util.List;

/**
 * TLS handshake with the endpoint. The certificate fields come from a handshake that trusts anything, so they are
 * known even when verification fails; {@code verified} comes from a handshake with the endpoint's own trust
 * settings ({@code configs.<host>.tls}, client certificate included) plus the host name check.
 *
 * @param protocol negotiated protocol of the trust-anything handshake, e.g. {@code TLSv1.3}, or null
 * @param subject  subject of the server certificate, or null when no certificate was received
 * @param issuer   issuer of the server certificate, or null
 * @param notAfter expiry of the server certificate, or null
 * @param names    subject alternative names of the server certificate
 * @param verified whether the endpoint's trust settings accept the certificate for this host
 * @param failure  null when verified, else one of {@value #PLAINTEXT}, {@value #UNTRUSTED}, {@value #EXPIRED},
 *                 {@value #HOSTNAME}, {@value #TIMEOUT}, {@value #HANDSHAKE}
 * @param error    the failure in words, or null
 * @param ms       time taken by the verifying handshake (or the failed one)
 */
public record TlsResult(String protocol, String subject, String issuer, Instant notAfter, List<String> names,
                        boolean verified, String failure, String error, long ms) {
    /** The server answered the ClientHello with bytes that are not TLS (plain HTTP, most likely). */
    public static final String PLAINTEXT = "plaintext";
    /** The certificate chain does not lead to a trusted CA (PKIX path building failed). */
    public static final String UNTRUSTED = "untrusted";
    /** The certificate has expired or is not yet valid. */
    public static final String EXPIRED = "expired";
    /** The certificate does not name the endpoint's host. */
    public static final String HOSTNAME = "hostname";
    /** The handshake did not complete in time. */
    public static final String TIMEOUT = "timeout";
    /** Any other handshake failure (alert, reset, client certificate refused...). */
    public static final String HANDSHAKE = "handshake";

    public TlsResult {
        names = names == null ? List.of() : List.copyOf(names);
    }

    /** Whether the server presented a certificate, i.e. speaks TLS. */
    public boolean speaksTls() {
        return subject != null;
    }
}
