package dev.jpull.internal.http;

import dev.jpull.Timeouts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpull.ConfigException;
import dev.jpull.RegistryConfig;
import dev.jpull.TlsConfig;
import dev.jpull.Endpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** HTTPS against real TLS servers: extra CA, client certificates, skip-verify. */
class TlsIT {
    @TempDir
    static Path tmp;
    static TestPki pki;
    static TlsTestServer caSigned;
    static TlsTestServer mutual;
    static TlsTestServer selfSigned;

    private final HttpClients clients = new HttpClients(Timeouts.DEFAULTS);

    @BeforeAll
    static void setUp() throws Exception {
        pki = new TestPki(tmp);
        caSigned = new TlsTestServer(pki.serverP12, null);
        mutual = new TlsTestServer(pki.serverP12, pki.caCert);
        selfSigned = new TlsTestServer(pki.selfSignedP12, null);
    }

    @AfterAll
    static void tearDown() throws Exception {
        caSigned.close();
        mutual.close();
        selfSigned.close();
    }

    static Endpoint ep(int port, TlsConfig tls) {
        String host = "127.0.0.1:" + port;
        return new Endpoint("https", host, "/v2", "library/alpine", null, new RegistryConfig(null, tls), host, false, host);
    }

    static int get(OkHttpClient client, int port) throws IOException {
        try (Response r = client.newCall(new Request.Builder().url("https://127.0.0.1:" + port + "/v2/").build()).execute()) {
            return r.code();
        }
    }

    @Test
    void caFileIsTrustedInAdditionToTheSystemTrust() throws Exception {
        Endpoint ep = ep(caSigned.port(), new TlsConfig(pki.caCert, null, null, false));
        assertThat(get(clients.forEndpoint(ep), caSigned.port())).isEqualTo(200);
        // the plain client does not know the test CA
        assertThatThrownBy(() -> get(clients.plain(), caSigned.port())).isInstanceOf(SSLException.class);
    }

    @Test
    void caFileDoesNotHelpAgainstAnotherIssuer() {
        Endpoint ep = ep(selfSigned.port(), new TlsConfig(pki.caCert, null, null, false));
        assertThatThrownBy(() -> get(clients.forEndpoint(ep), selfSigned.port())).isInstanceOf(SSLException.class);
    }

    @Test
    void insecureSkipVerifyAcceptsSelfSignedCertificateForAnotherName() throws Exception {
        Endpoint ep = ep(selfSigned.port(), new TlsConfig(null, null, null, true));
        assertThat(get(clients.forEndpoint(ep), selfSigned.port())).isEqualTo(200);
        assertThatThrownBy(() -> get(clients.plain(), selfSigned.port())).isInstanceOf(SSLException.class);
    }

    static Stream<Arguments> clientKeys() {
        return Stream.of(
                Arguments.of("PKCS#8 RSA", pki.clientRsaCert, pki.clientRsaPkcs8Key, "CN=client-rsa"),
                Arguments.of("PKCS#1 RSA", pki.clientRsaCert, pki.clientRsaPkcs1Key, "CN=client-rsa"),
                Arguments.of("SEC1 EC", pki.clientEcCert, pki.clientEcSec1Key, "CN=client-ec"),
                Arguments.of("PKCS#8 EC", pki.clientEcCert, pki.clientEcPkcs8Key, "CN=client-ec"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientKeys")
    void clientCertificateIsPresented(String kind, Path cert, Path key, String subject) throws Exception {
        Endpoint ep = ep(mutual.port(), new TlsConfig(pki.caCert, cert, key, false));
        int before = mutual.clientSubjects.size();
        assertThat(get(clients.forEndpoint(ep), mutual.port())).isEqualTo(200);
        assertThat(mutual.clientSubjects.subList(before, mutual.clientSubjects.size())).containsExactly(subject);
    }

    @Test
    void serverDemandingClientCertificateRefusesClientWithoutOne() {
        Endpoint ep = ep(mutual.port(), new TlsConfig(pki.caCert, null, null, false));
        assertThatThrownBy(() -> get(clients.forEndpoint(ep), mutual.port())).isInstanceOf(IOException.class);
    }

    @Test
    void certWithoutKeyNamesTheConfigHost() {
        Endpoint ep = ep(1, new TlsConfig(null, pki.clientRsaCert, null, false));
        assertThatThrownBy(() -> clients.forEndpoint(ep))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("127.0.0.1:1")
                .hasMessageContaining("cert_file is set without key_file");
    }

    @Test
    void keyWithoutCertNamesTheConfigHost() {
        Endpoint ep = ep(2, new TlsConfig(null, null, pki.clientRsaPkcs8Key, false));
        assertThatThrownBy(() -> clients.forEndpoint(ep))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("127.0.0.1:2")
                .hasMessageContaining("key_file is set without cert_file");
    }

    @Test
    void keyNotMatchingTheCertificateIsAUsageError() {
        Endpoint ep = ep(3, new TlsConfig(null, pki.clientRsaCert, pki.clientEcSec1Key, false));
        assertThatThrownBy(() -> clients.forEndpoint(ep))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("127.0.0.1:3")
                .hasMessageContaining("does not match");
    }
}
