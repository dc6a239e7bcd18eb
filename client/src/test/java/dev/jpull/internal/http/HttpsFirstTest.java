package dev.jpull.internal.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.jpull.Endpoint;
import dev.jpull.RegistryConfig;
import dev.jpull.Timeouts;
import dev.jpull.TlsConfig;
import java.io.IOException;
import java.nio.file.Path;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * containerd's rule for an {@code http://} host with TLS settings (the default of a localhost registry on a port
 * other than 80 and 443): https first, plain http when the server does not speak TLS (issue 12, point 9).
 */
class HttpsFirstTest {
    private final WireMockServer plain = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    private final WireMockServer tls = new WireMockServer(options().dynamicHttpsPort().httpDisabled(true)
            .bindAddress("127.0.0.1"));
    private final Transport transport = new Transport(new HttpClients(Timeouts.DEFAULTS));

    @BeforeEach
    void start() {
        plain.start();
        tls.start();
        for (WireMockServer s : new WireMockServer[] {plain, tls}) {
            s.stubFor(get("/v2/").willReturn(aResponse().withStatus(200).withBody("{}")));
        }
    }

    @AfterEach
    void stop() {
        plain.stop();
        tls.stop();
    }

    private static Endpoint localhostDefault(int port) {
        return new Endpoint("http", "127.0.0.1:" + port, "/v2", "library/alpine", null,
                new RegistryConfig(null, new TlsConfig(null, null, null, true)), null, true, null);
    }

    private Response fetch(Endpoint ep) throws IOException {
        return transport.send(ep, new Request.Builder().url(ep.baseUrl() + "/").build(), Deadline.NONE);
    }

    @Test
    void aTlsServerIsSpokenToOverHttps() throws IOException {
        Endpoint ep = localhostDefault(tls.httpsPort());
        assertThat(ep.httpsFirst()).isTrue();
        assertThat(ep.tlsMode()).isEqualTo("https insecure-skip-verify, then plain-http");
        try (Response r = fetch(ep)) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.request().url().scheme()).as("the endpoint's own URL").isEqualTo("http");
            assertThat(r.handshake()).as("answered over TLS").isNotNull();
        }
        tls.verify(1, getRequestedFor(urlEqualTo("/v2/")));
    }

    @Test
    void aPlainHttpServerIsSpokenToOverHttpAfterTheHandshakeFails() throws IOException {
        Endpoint ep = localhostDefault(plain.port());
        for (int i = 0; i < 3; i++) {
            try (Response r = fetch(ep)) {
                assertThat(r.code()).isEqualTo(200);
                assertThat(r.handshake()).isNull();
            }
        }
        plain.verify(3, getRequestedFor(urlEqualTo("/v2/")));
    }

    @Test
    void withoutTlsSettingsOrOnPort80AnHttpEndpointIsPlainHttp() {
        Endpoint none = new Endpoint("http", "127.0.0.1:5000", "/v2", "r", null, RegistryConfig.EMPTY, null, true,
                null);
        assertThat(none.httpsFirst()).isFalse();
        assertThat(none.tlsMode()).isEqualTo("plain-http");
        Endpoint port80 = new Endpoint("http", "localhost:80", "/v2", "r", null,
                new RegistryConfig(null, new TlsConfig(null, null, null, true)), null, true, null);
        assertThat(port80.httpsFirst()).isFalse();
        assertThat(port80.tlsMode()).isEqualTo("plain-http");
    }

    @Test
    void aPlainLocalRegistryGetsNoTlsAttemptForARequestWithoutCredentials() throws IOException {
        try (SniffingServer server = SniffingServer.answering(200)) {
            Endpoint ep = localhostDefault(server.port());
            for (int i = 0; i < 2; i++) {
                try (Response r = fetch(ep)) {
                    assertThat(r.code()).isEqualTo(200);
                    assertThat(r.handshake()).isNull();
                }
            }
            assertThat(server.tlsHellos()).as("no handshake attempted").isZero();
            assertThat(server.plainRequests()).isEqualTo(2);
        }
    }

    @Test
    void aRequestWithCredentialsKeepsTheHttpsFirstOrder() throws IOException {
        try (SniffingServer server = SniffingServer.answering(200)) {
            Endpoint ep = localhostDefault(server.port());
            Request request = new Request.Builder().url(ep.baseUrl() + "/").header("Authorization", "Basic dTpw")
                    .build();
            try (Response r = transport.send(ep, request, Deadline.NONE)) {
                assertThat(r.code()).isEqualTo(200);
            }
            assertThat(server.tlsHellos()).as("the credentials were offered over TLS first").isEqualTo(1);
            assertThat(server.plainRequests()).isEqualTo(1);
        }
    }

    @Test
    void aPlainAnswerOf400IsCheckedAgainstTlsAndKeptWhenTheServerDoesNotSpeakIt() throws IOException {
        // 400 is what Go's and nginx's TLS servers answer to plain http: jpull then tries TLS before believing it
        try (SniffingServer server = SniffingServer.answering(400)) {
            Endpoint ep = localhostDefault(server.port());
            try (Response r = fetch(ep)) {
                assertThat(r.code()).isEqualTo(400);
                assertThat(r.handshake()).isNull();
            }
            assertThat(server.tlsHellos()).isEqualTo(1);
            assertThat(server.plainRequests()).isEqualTo(2);
            try (Response r = fetch(ep)) {
                assertThat(r.code()).as("plain http from then on").isEqualTo(400);
            }
            assertThat(server.tlsHellos()).isEqualTo(1);
        }
    }

    @Test
    void onlyALoopbackHostWithNothingButSkipVerifyGoesPlainFirst() {
        TlsConfig skip = new TlsConfig(null, null, null, true);
        assertThat(HttpClients.plainFirst(endpoint("127.0.0.1:5000", skip))).isTrue();
        assertThat(HttpClients.plainFirst(endpoint("localhost:5000", skip))).isTrue();
        assertThat(HttpClients.plainFirst(endpoint("[::1]:5000", skip))).isTrue();
        assertThat(HttpClients.plainFirst(endpoint("127.1.2.3:5000", skip))).isTrue();
        assertThat(HttpClients.plainFirst(endpoint("registry.example:5000", skip))).as("not loopback").isFalse();
        assertThat(HttpClients.plainFirst(endpoint("10.0.0.1:5000", skip))).isFalse();
        assertThat(HttpClients.plainFirst(endpoint("127.0.0.1:5000", new TlsConfig(Path.of("/ca.pem"), null, null, true))))
                .as("a CA file").isFalse();
        assertThat(HttpClients.plainFirst(endpoint("127.0.0.1:5000", new TlsConfig(null, Path.of("/c.pem"), Path.of("/k.pem"), true))))
                .as("a client certificate").isFalse();
        assertThat(HttpClients.plainFirst(endpoint("127.0.0.1:5000", new TlsConfig(Path.of("/ca.pem"), null, null, false))))
                .as("verification on").isFalse();
    }

    private static Endpoint endpoint(String host, TlsConfig tls) {
        return new Endpoint("http", host, "/v2", "r", null, new RegistryConfig(null, tls), null, true, null);
    }
}
