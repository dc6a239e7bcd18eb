package dev.jpull.internal.http;

import dev.jpull.ProxyConfig;
import dev.jpull.Timeouts;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.jpull.Jpull;
import dev.jpull.PullResult;
import dev.jpull.RegistryConfig;
import dev.jpull.TlsConfig;
import dev.jpull.Endpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests really go through an HTTP proxy on loopback (with the loopback escape hatch), or really do not. */
class HttpClientsProxyTest {
    private static final String PROXY_PASSWORD = "pr0xy-Secret";
    private final WireMockServer origin = new WireMockServer(
            options().bindAddress("127.0.0.1").dynamicPort().dynamicHttpsPort());
    private TinyProxy proxy;

    @TempDir
    Path store;

    @BeforeEach
    void start() {
        origin.start();
        origin.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(200).withBody("hello")));
    }

    @AfterEach
    void stop() throws IOException {
        origin.stop();
        if (proxy != null) {
            proxy.close();
        }
    }

    private static String body(OkHttpClient client, String url) throws IOException {
        try (Response r = client.newCall(new Request.Builder().url(url).build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
            return r.body().string();
        }
    }

    private String httpUrl() {
        return "http://127.0.0.1:" + origin.port() + "/v2/";
    }

    @Test
    void plainHttpGoesThroughTheProxyWithLoopbackEnabled() throws IOException {
        proxy = new TinyProxy(null);
        ProxyConfig config = ProxyConfig.fromEnvironment(Map.of(
                "HTTP_PROXY", "http://127.0.0.1:" + proxy.port(), "JPULL_PROXY_LOOPBACK", "1"));

        assertThat(body(new HttpClients(Timeouts.DEFAULTS, config).plain(), httpUrl())).isEqualTo("hello");

        assertThat(proxy.seen()).extracting(TinyProxy.Seen::requestLine)
                .containsExactly("GET " + httpUrl() + " HTTP/1.1");
    }

    @Test
    void loopbackIsDirectByDefaultAsInGo() throws IOException {
        proxy = new TinyProxy(null);
        ProxyConfig config = ProxyConfig.fromEnvironment(Map.of("HTTP_PROXY", "http://127.0.0.1:" + proxy.port()));

        assertThat(body(new HttpClients(Timeouts.DEFAULTS, config).plain(), httpUrl())).isEqualTo("hello");

        assertThat(proxy.seen()).isEmpty();
        assertThat(origin.getAllServeEvents()).hasSize(1);
    }

    @Test
    void noProxyEntryKeepsLoopbackDirectEvenWithTheEscapeHatch() throws IOException {
        proxy = new TinyProxy(null);
        ProxyConfig config = ProxyConfig.of("http://127.0.0.1:" + proxy.port(), null, "127.0.0.1:" + origin.port())
                .withProxyLoopback(true);

        assertThat(body(new HttpClients(Timeouts.DEFAULTS, config).plain(), httpUrl())).isEqualTo("hello");

        assertThat(proxy.seen()).isEmpty();
    }

    @Test
    void proxyCredentialsAnswerA407AndNeverReachTheOrigin() throws IOException {
        String expected = okhttp3.Credentials.basic("alice", PROXY_PASSWORD, StandardCharsets.UTF_8);
        proxy = new TinyProxy(expected);
        ProxyConfig config = ProxyConfig.of("http://alice:" + PROXY_PASSWORD + "@127.0.0.1:" + proxy.port(), null, null)
                .withProxyLoopback(true);

        assertThat(body(new HttpClients(Timeouts.DEFAULTS, config).plain(), httpUrl())).isEqualTo("hello");

        assertThat(proxy.seen()).extracting(TinyProxy.Seen::proxyAuthorization).containsExactly(null, expected);
        origin.verify(1, anyRequestedFor(anyUrl()).withHeader("Proxy-Authorization", absent()));
    }

    @Test
    void httpsTunnelsWithConnectAndPreemptiveProxyAuth() throws IOException {
        String expected = okhttp3.Credentials.basic("bob", PROXY_PASSWORD, StandardCharsets.UTF_8);
        proxy = new TinyProxy(expected);
        ProxyConfig config = ProxyConfig.fromEnvironment(Map.of(
                "https_proxy", "bob:" + PROXY_PASSWORD + "@127.0.0.1:" + proxy.port(), "JPULL_PROXY_LOOPBACK", "true"));
        String host = "127.0.0.1:" + origin.httpsPort();
        Endpoint ep = new Endpoint("https", host, "/v2", "library/alpine", null,
                new RegistryConfig(null, new TlsConfig(null, null, null, true)), host, false, host);

        OkHttpClient client = new HttpClients(Timeouts.DEFAULTS, config).forEndpoint(ep);
        assertThat(body(client, "https://" + host + "/v2/")).isEqualTo("hello");

        assertThat(proxy.seen()).containsExactly(new TinyProxy.Seen("CONNECT " + host + " HTTP/1.1", expected));
        origin.verify(1, anyRequestedFor(anyUrl()).withHeader("Proxy-Authorization", absent()));
    }

    @Test
    void wholePullThroughTheProxyViaTheBuilder() throws IOException {
        proxy = new TinyProxy(null);
        MiniImage image = MiniImage.create("team/app");
        image.serve(origin, "1.0", UnaryOperator.identity());
        String registry = "127.0.0.1:" + origin.port();

        PullResult result = Jpull.builder().store(store)
                .proxies(ProxyConfig.of("http://127.0.0.1:" + proxy.port(), null, null)).proxyLoopback(true)
                .build().pull(registry + "/team/app:1.0");

        assertThat(result.manifestDigest()).isEqualTo(image.manifestDigest());
        List<String> lines = proxy.seen().stream().map(TinyProxy.Seen::requestLine).toList();
        assertThat(lines).contains("GET http://" + registry + "/v2/team/app/manifests/1.0 HTTP/1.1");
        assertThat(lines).hasSize(origin.getAllServeEvents().size()).hasSize(3);
    }
}
