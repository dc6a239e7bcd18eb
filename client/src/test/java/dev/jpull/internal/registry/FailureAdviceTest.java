package dev.jpull.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.Endpoint;
import dev.jpull.Outcome;
import dev.jpull.RegistryConfig;
import dev.jpull.TlsResult;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.junit.jupiter.api.Test;

/**
 * The one classifier ({@link Failures}) and its words ({@link Advice}) for a pull's attempts: what OkHttp and the
 * JDK throw becomes an outcome, a sentence and, where the configuration can fix it, the key to change.
 */
class FailureAdviceTest {
    private static final Endpoint TLS = endpoint("https", "127.0.0.1:5443", null);
    private static final Endpoint PLAIN = endpoint("http", "127.0.0.1:5000", null);

    private static Endpoint endpoint(String scheme, String host, String mirror) {
        return new Endpoint(scheme, host, "/v2", "library/alpine", "registry.example.com", RegistryConfig.EMPTY,
                null, mirror == null, mirror);
    }

    private static String error(IOException e, Endpoint ep) {
        return Advice.error(Failures.ofIo(e, false), ep);
    }

    private static SSLHandshakeException pkix() {
        var e = new SSLHandshakeException("(certificate_unknown) PKIX path building failed: "
                + "sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification "
                + "path to requested target");
        e.initCause(new CertificateException("PKIX path building failed",
                new CertPathBuilderException("unable to find valid certification path to requested target")));
        return e;
    }

    @Test
    void anUnknownCaIsCalledUntrustedAndNamesTheCaFileKeyToSet() {
        EndpointFailure f = Failures.ofIo(pkix(), false);

        assertThat(f.outcome()).isEqualTo(Outcome.TLS_ERROR);
        assertThat(Advice.error(f, TLS)).isEqualTo("certificate not trusted: no path to a trusted CA; unknown CA: "
                + "the certificate of 127.0.0.1:5443 is issued by a CA, which is not among the system CAs; set "
                + "configs.\"127.0.0.1:5443\".tls.ca_file to that CA's certificate (PEM)")
                .doesNotContain("PKIX").doesNotContain("sun.security");
    }

    @Test
    void theTlsKindsAreTheOnesDiagnoseUses() {
        assertThat(Failures.tlsKind(pkix())).isEqualTo(TlsResult.UNTRUSTED);
        var expired = new SSLHandshakeException("expired");
        expired.initCause(new CertificateExpiredException("NotAfter: ..."));
        assertThat(Failures.tlsKind(expired)).isEqualTo(TlsResult.EXPIRED);
        assertThat(Failures.tlsKind(new javax.net.ssl.SSLException("Unsupported or unrecognized SSL message")))
                .isEqualTo(TlsResult.PLAINTEXT);
    }

    @Test
    void anHttpsEndpointThatSpeaksPlainHttpGetsTheWrongSchemeHint() {
        var e = new javax.net.ssl.SSLException("Unsupported or unrecognized SSL message");

        assertThat(error(e, TLS)).isEqualTo("the server does not speak TLS (it answered with plain text, e.g. "
                + "HTTP); wrong scheme: 127.0.0.1:5443 speaks plain HTTP, not TLS; list the endpoint as "
                + "\"http://127.0.0.1:5443\" in mirrors.\"registry.example.com\".endpoint");
        assertThat(error(e, endpoint("https", "m:5443", "docker.io"))).endsWith("in mirrors.\"docker.io\".endpoint");
    }

    @Test
    void aCertificateForAnotherHostNamesTheHostsItIsFor() {
        var e = new SSLPeerUnverifiedException("Hostname 127.0.0.1 not verified:\n    certificate: sha256/AAA=\n"
                + "    DN: CN=registry\n    subjectAltNames: [localhost, registry.test]");

        assertThat(error(e, TLS)).isEqualTo("host name mismatch; the certificate does not name 127.0.0.1:5443; use "
                + "a host it names (localhost, registry.test) in the endpoint URL, or reissue the certificate");
    }

    @Test
    void nothingListeningIsRefusedAndSaysWhere() {
        var e = new ConnectException("Failed to connect to /127.0.0.1:5000");
        e.initCause(new ConnectException("Connection refused"));

        EndpointFailure f = Failures.ofIo(e, false);
        assertThat(f.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(Advice.error(f, PLAIN)).isEqualTo("connection refused: nothing listens on 127.0.0.1:5000");
    }

    @Test
    void noRouteToTheNetworkIsUnreachableNotRefused() {
        // what the JDK throws for ENETUNREACH (OkHttp does not wrap it) and for EHOSTUNREACH
        for (IOException e : new IOException[] {new SocketException("Network is unreachable"),
                new NoRouteToHostException("No route to host")}) {
            EndpointFailure f = Failures.ofIo(e, false);
            assertThat(f.outcome()).as(e.toString()).isEqualTo(Outcome.UNREACHABLE);
            assertThat(Advice.error(f, endpoint("https", "registry.example.com", null)))
                    .isEqualTo("network unreachable: no route to registry.example.com:443");
        }
        assertThat(Outcome.UNREACHABLE.label()).isEqualTo("unreachable");
    }

    @Test
    void anUnknownHostIsADnsErrorNamingTheHost() {
        EndpointFailure f = Failures.ofIo(new UnknownHostException("registry.invalid: Name or service not known"),
                false);

        assertThat(f.outcome()).isEqualTo(Outcome.DNS_ERROR);
        assertThat(Outcome.DNS_ERROR.label()).isEqualTo("dns-error");
        assertThat(Advice.error(f, endpoint("https", "registry.invalid:5000", null)))
                .isEqualTo("cannot resolve registry.invalid");
    }

    @Test
    void aConnectionDroppedBeforeTheAnswerStaysRefusedWithItsOwnWords() {
        EndpointFailure f = Failures.ofIo(new SocketException("Connection reset"), false);

        assertThat(f.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(Advice.error(f, PLAIN)).isEqualTo("SocketException: Connection reset");
    }

    @Test
    void aBodyCutHalfWayIsTruncatedNotAConnectFailure() {
        assertThat(Failures.ofIo(new SocketException("Network is unreachable"), true).outcome())
                .isEqualTo(Outcome.TRUNCATED);
    }
}
