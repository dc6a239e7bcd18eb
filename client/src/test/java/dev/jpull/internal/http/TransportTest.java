package dev.jpull.internal.http;

import dev.jpull.Timeouts;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.jpull.RegistryConfig;
import dev.jpull.Endpoint;
import java.time.Duration;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The redirect policy and deadline of {@link Transport#send}, against WireMock. */
class TransportTest {
    private final WireMockServer a = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    private final WireMockServer b = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    private final Transport transport = new Transport(new HttpClients(Timeouts.DEFAULTS));

    @BeforeEach
    void start() {
        a.start();
        b.start();
    }

    @AfterEach
    void stop() {
        a.stop();
        b.stop();
    }

    private Endpoint endpoint() {
        String host = "127.0.0.1:" + a.port();
        return new Endpoint("http", host, "/v2", "library/app", null, RegistryConfig.EMPTY, host, false, host);
    }

    private Response send(String path) throws Exception {
        return transport.send(endpoint(), new Request.Builder().url(a.baseUrl() + path)
                .header("Authorization", "Basic c2VjcmV0").header("Accept", "x/y").build(), Deadline.NONE);
    }

    @Test
    void credentialsGoToTheOriginOnlyOtherHeadersGoEverywhere() throws Exception {
        // a -> b (same host, other port) -> back to a
        a.stubFor(get("/start").willReturn(aResponse().withStatus(302)
                .withHeader("Location", "http://127.0.0.1:" + b.port() + "/elsewhere")));
        b.stubFor(get("/elsewhere").willReturn(aResponse().withStatus(307)
                .withHeader("Location", a.baseUrl() + "/home")));
        a.stubFor(get("/home").willReturn(aResponse().withStatus(200).withBody("done")));

        try (Response r = send("/start")) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.body().string()).isEqualTo("done");
            assertThat(Transport.redirected(r)).isTrue();
            assertThat(Transport.first(r).code()).isEqualTo(302);
        }
        b.verify(getRequestedFor(urlEqualTo("/elsewhere")).withHeader("Authorization", absent())
                .withHeader("Accept", equalTo("x/y")).withHeader("User-Agent", equalTo(HttpClients.USER_AGENT)));
        a.verify(getRequestedFor(urlEqualTo("/home")).withHeader("Authorization", equalTo("Basic c2VjcmV0")));
    }

    @Test
    void aLocationOutsideHttpIsRefused() {
        a.stubFor(get("/start").willReturn(aResponse().withStatus(301).withHeader("Location", "ftp://x/y")));

        assertThatThrownBy(() -> send("/start")).isInstanceOfSatisfying(Transport.RedirectException.class, e -> {
            assertThat(e.status()).isEqualTo(301);
            assertThat(e).hasMessage("redirect without a usable http(s) Location");
        });
    }

    @Test
    void tenRedirectsAreFollowedAndTheEleventhIsRefused() throws Exception {
        for (int i = 0; i < 11; i++) {
            a.stubFor(get("/r" + i).willReturn(aResponse().withStatus(307).withHeader("Location", "/r" + (i + 1))));
        }
        a.stubFor(get("/r11").willReturn(aResponse().withStatus(200)));

        try (Response r = send("/r1")) {
            assertThat(r.code()).isEqualTo(200); // r1..r10: ten redirects
        }
        assertThatThrownBy(() -> send("/r0")).isInstanceOf(Transport.RedirectException.class)
                .hasMessage("too many redirects");
        a.verify(0, getRequestedFor(urlEqualTo("/r12")));
    }

    @Test
    void oneDeadlineCoversTheWholeChain() {
        a.stubFor(get("/start").willReturn(aResponse().withStatus(307).withFixedDelay(400)
                .withHeader("Location", "/slow")));
        a.stubFor(get("/slow").willReturn(aResponse().withStatus(200).withFixedDelay(5_000)));

        assertThatThrownBy(() -> transport.send(endpoint(), new Request.Builder().url(a.baseUrl() + "/start").build(),
                Deadline.after(Duration.ofSeconds(1))))
                .isInstanceOf(Transport.DeadlineException.class).hasMessage("no response headers within 1000 ms");
        a.verify(getRequestedFor(urlEqualTo("/slow")));
    }

    @Test
    void aResponseWithoutRedirectIsReturnedAsIs() throws Exception {
        a.stubFor(get("/start").willReturn(aResponse().withStatus(404)));

        try (Response r = send("/start")) {
            assertThat(r.code()).isEqualTo(404);
            assertThat(Transport.redirected(r)).isFalse();
            assertThat(Transport.first(r)).isSameAs(r);
        }
    }
}
