package dev.jpull.internal.http;

import dev.jpull.Timeouts;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.jpull.RegistryConfig;
import dev.jpull.TlsConfig;
import dev.jpull.Endpoint;

import java.nio.file.Path;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpClientsTest {
    private WireMockServer wm;
    private final HttpClients clients = new HttpClients(new Timeouts(
            Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(4), Duration.ofSeconds(7)));

    @BeforeEach
    void start() {
        wm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        wm.start();
    }

    @AfterEach
    void stop() {
        wm.stop();
    }

    private static Endpoint ep(String host, TlsConfig tls) {
        return new Endpoint("https", host, "/v2", "library/alpine", null, new RegistryConfig(null, tls), host, false, host);
    }

    @Test
    void clientSettings() {
        OkHttpClient c = clients.plain();
        assertThat(c.followRedirects()).isFalse();
        assertThat(c.followSslRedirects()).isFalse();
        assertThat(c.retryOnConnectionFailure()).isTrue();
        assertThat(c.connectTimeoutMillis()).isEqualTo(5_000);
        assertThat(c.readTimeoutMillis()).isEqualTo(7_000);
        assertThat(c.writeTimeoutMillis()).isEqualTo(7_000);
    }

    @Test
    void endpointWithoutTlsSettingsUsesThePlainClient() {
        assertThat(clients.forEndpoint(ep("a.example", null))).isSameAs(clients.plain());
        assertThat(clients.forEndpoint(ep("b.example", new TlsConfig(null, null, null, false)))).isSameAs(clients.plain());
    }

    @Test
    void derivedClientsAreCachedPerTlsConfigAndShareThePool() {
        OkHttpClient a = clients.forEndpoint(ep("a.example", new TlsConfig(null, null, null, true)));
        OkHttpClient b = clients.forEndpoint(ep("b.example", new TlsConfig(null, null, null, true)));
        assertThat(a).isSameAs(b).isNotSameAs(clients.plain());
        assertThat(a.connectionPool()).isSameAs(clients.plain().connectionPool());
        assertThat(a.dispatcher()).isSameAs(clients.plain().dispatcher());
        assertThat(a.followRedirects()).isFalse();
        assertThat(a.hostnameVerifier().verify("anything.invalid", null)).isTrue();
        assertThat(clients.plain().hostnameVerifier()).isNotSameAs(a.hostnameVerifier());
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
        wm.stubFor(get("/v2/").willReturn(aResponse().withStatus(307).withHeader("Location", "/elsewhere")));
        try (Response r = clients.plain().newCall(new Request.Builder().url(wm.baseUrl() + "/v2/").build()).execute()) {
            assertThat(r.code()).isEqualTo(307);
        }
        wm.verify(0, getRequestedFor(urlEqualTo("/elsewhere")));
    }

    @Test
    void sendsIdentityEncodingUnlessTheCallerChoseOne() throws Exception {
        wm.stubFor(get("/v2/").willReturn(aResponse().withStatus(200).withBody("ok")));
        try (Response r = clients.plain().newCall(new Request.Builder().url(wm.baseUrl() + "/v2/").build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
        }
        wm.verify(getRequestedFor(urlEqualTo("/v2/")).withHeader("Accept-Encoding", equalTo("identity")));
        wm.resetRequests();
        try (Response r = clients.plain().newCall(new Request.Builder().url(wm.baseUrl() + "/v2/")
                .header(HttpClients.ACCEPT_ENCODING, "gzip").build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
        }
        wm.verify(getRequestedFor(urlEqualTo("/v2/")).withHeader("Accept-Encoding", equalTo("gzip")));
    }

    @Test
    void tlsSettingsOnPlainHttpEndpointStillValidated() {
        Endpoint ep = new Endpoint("http", "h.example", "/v2", "x", null,
                new RegistryConfig(null, new TlsConfig(Path.of("/nonexistent/ca.pem"), null, null, false)),
                "h.example", false, "h.example");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> clients.forEndpoint(ep))
                .isInstanceOf(dev.jpull.ConfigException.class)
                .hasMessageContaining("/nonexistent/ca.pem");
    }
}
