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
}
