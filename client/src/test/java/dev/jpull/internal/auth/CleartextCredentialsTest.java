package dev.jpull.internal.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.jpull.AuthConfig;
import dev.jpull.RegistryConfig;
import dev.jpull.internal.http.HttpClients;
import dev.jpull.Timeouts;
import dev.jpull.Endpoint;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An endpoint reached over https never has its credentials sent in clear text to a plain-http token realm it
 * names (issue 8, point 3); anonymous token requests, which carry no secret, still go there, and an http
 * endpoint (whose own requests are clear text anyway) keeps working with an http realm.
 */
class CleartextCredentialsTest {
    private static final String SCOPE = "repository:library/alpine:pull";
    private static final String PASSWORD = "s3cret-Pa55word";

    private WireMockServer realm;
    private Authenticator auth;

    @BeforeEach
    void start() {
        realm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        realm.start();
        realm.stubFor(get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"tok\",\"expires_in\":300}")));
        auth = new Authenticator(new HttpClients(Timeouts.DEFAULTS),
                new AuthenticatorTest.MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
    }

    @AfterEach
    void stop() {
        realm.stop();
    }

    private static Endpoint ep(String scheme, AuthConfig authConfig) {
        String host = "registry.invalid";
        return new Endpoint(scheme, host, "/v2", "library/alpine", null, new RegistryConfig(authConfig, null),
                host, false, host);
    }

    private String challenge() {
        return "Bearer realm=\"" + realm.baseUrl() + "/token\",service=\"registry.test\"";
    }

    @Test
    void basicCredentialsOfAnHttpsEndpointAreNotSentToAnHttpRealm() {
        Endpoint ep = ep("https", new AuthConfig("alice", PASSWORD, null, null));

        assertThatThrownBy(() -> auth.respond(ep, SCOPE, List.of(challenge())))
                .isInstanceOf(AuthException.class)
                .hasMessageContaining("refusing to send the credentials for registry.invalid in clear text")
                .hasMessageContaining("token service " + realm.baseUrl() + "/token")
                .hasMessageContaining("plain http")
                .hasMessageNotContaining(PASSWORD);
        realm.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void anIdentityTokenOfAnHttpsEndpointIsNotPostedToAnHttpRealm() {
        Endpoint ep = ep("https", new AuthConfig(null, null, null, "refresh-" + PASSWORD));

        assertThatThrownBy(() -> auth.respond(ep, SCOPE, List.of(challenge())))
                .isInstanceOf(AuthException.class)
                .hasMessageContaining("clear text")
                .hasMessageNotContaining(PASSWORD);
        realm.verify(0, anyRequestedFor(anyUrl())); // neither the refresh-token POST nor the GET fallback
    }

    @Test
    void anAnonymousTokenRequestCarriesNoSecretAndStillGoesToAnHttpRealm() throws Exception {
        assertThat(auth.respond(ep("https", null), SCOPE, List.of(challenge()))).isEqualTo("Bearer tok");

        realm.verify(1, getRequestedFor(urlPathEqualTo("/token")).withHeader("Authorization", absent()));
    }

    @Test
    void anHttpEndpointMayUseAnHttpRealm() throws Exception {
        Endpoint ep = ep("http", new AuthConfig("alice", PASSWORD, null, null));

        assertThat(auth.respond(ep, SCOPE, List.of(challenge()))).isEqualTo("Bearer tok");

        realm.verify(1, getRequestedFor(urlPathEqualTo("/token")).withHeader("Authorization",
                com.github.tomakehurst.wiremock.client.WireMock.matching("Basic .+")));
    }
}
