package dev.jpull.internal.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.jpull.AuthConfig;
import dev.jpull.RegistryConfig;
import dev.jpull.internal.http.HttpClients;
import dev.jpull.Timeouts;
import dev.jpull.Endpoint;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {
    static final String SCOPE = "repository:library/alpine:pull";
    static final String PASSWORD = "s3cret-Pa55word";
    static final String TOKEN_PATH = "/token?service=registry.test&scope=repository%3Alibrary%2Falpine%3Apull";

    private WireMockServer wm;
    private MutableClock clock;
    private Authenticator auth;

    @BeforeEach
    void start() {
        wm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        wm.start();
        clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        auth = new Authenticator(new HttpClients(Timeouts.DEFAULTS), clock);
    }

    @AfterEach
    void stop() {
        wm.stop();
    }

    private Endpoint ep(AuthConfig authConfig) {
        return ep("127.0.0.1:" + wm.port(), authConfig);
    }

    private static Endpoint ep(String host, AuthConfig authConfig) {
        return new Endpoint("http", host, "/v2", "library/alpine", null, new RegistryConfig(authConfig, null),
                host, false, host);
    }

    private String bearer(String extra) {
        return "Bearer realm=\"" + wm.baseUrl() + "/token\",service=\"registry.test\",scope=\"" + SCOPE + "\"" + extra;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anonymousTokenFlow() throws Exception {
        wm.stubFor(get(TOKEN_PATH).willReturn(okJson("{\"token\":\"anon-tok\",\"expires_in\":300}")));
        Endpoint ep = ep(null);
        assertThat(auth.authorizationFor(ep, SCOPE)).isNull();

        assertThat(auth.respond(ep, SCOPE, List.of(bearer("")))).isEqualTo("Bearer anon-tok");

        wm.verify(1, getRequestedFor(urlEqualTo(TOKEN_PATH)).withHeader("Authorization", absent()));
        assertThat(auth.authorizationFor(ep, SCOPE)).isEqualTo("Bearer anon-tok");
        assertThat(auth.authorizationFor(ep, "repository:other:pull")).isNull();
    }

    /** A long-lived {@code jpull serve} gets a token per repository: expired ones do not pile up. */
    @Test
    void expiredTokensAreDroppedOnceMoreThanAFewAreCached() throws Exception {
        wm.stubFor(get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"t\",\"expires_in\":60}")));
        Endpoint ep = ep(null);
        int repos = Authenticator.SWEEP_ABOVE + 10;
        for (int i = 0; i < repos; i++) {
            String scope = "repository:r" + i + ":pull";
            String challenge = "Bearer realm=\"" + wm.baseUrl() + "/token\",service=\"registry.test\",scope=\""
                    + scope + "\"";
            assertThat(auth.respond(ep, scope, List.of(challenge))).isEqualTo("Bearer t");
        }
        assertThat(auth.cachedTokens()).as("all still usable: all kept").isEqualTo(repos);

        clock.advance(Duration.ofMinutes(2));
        assertThat(auth.respond(ep, SCOPE, List.of(bearer("")))).isEqualTo("Bearer t");

        assertThat(auth.cachedTokens()).as("only the new one is usable").isEqualTo(1);
        assertThat(auth.authorizationFor(ep, SCOPE)).isEqualTo("Bearer t");
    }

    @Test
    void anAbsurdTokenLifetimeIsCappedToADayNotAnInternalError() throws Exception {
        wm.stubFor(get(TOKEN_PATH).willReturn(okJson("{\"token\":\"long-tok\",\"expires_in\":9223372036854775807,"
                + "\"issued_at\":\"2025-12-31T23:59:00Z\"}")));
        Endpoint ep = ep(null);

        assertThat(auth.respond(ep, SCOPE, List.of(bearer("")))).isEqualTo("Bearer long-tok");

        clock.advance(Duration.ofHours(23));
        assertThat(auth.authorizationFor(ep, SCOPE)).isEqualTo("Bearer long-tok");
        clock.advance(Duration.ofHours(2));
        assertThat(auth.authorizationFor(ep, SCOPE)).isNull();
    }

    @Test
    void tokenWithBasicCredentials() throws Exception {
        wm.stubFor(get(TOKEN_PATH).willReturn(okJson("{\"access_token\":\"user-tok\"}")));
        Endpoint ep = ep(new AuthConfig("alice", PASSWORD, null, null));

        assertThat(auth.respond(ep, SCOPE, List.of(bearer("")))).isEqualTo("Bearer user-tok");

        wm.verify(1, getRequestedFor(urlEqualTo(TOKEN_PATH)).withHeader("Authorization", equalTo(basic("alice", PASSWORD))));
    }

    @Test
    void authFieldIsDecodedForTheTokenRequest() throws Exception {
        wm.stubFor(get(TOKEN_PATH).willReturn(okJson("{\"token\":\"t\"}")));
        String b64 = Base64.getEncoder().encodeToString("bob:pa:ss".getBytes(StandardCharsets.UTF_8));
        Endpoint ep = ep(new AuthConfig(null, null, b64, null));

        assertThat(auth.respond(ep, SCOPE, List.of(bearer("")))).isEqualTo("Bearer t");

        wm.verify(1, getRequestedFor(urlEqualTo(TOKEN_PATH)).withHeader("Authorization", equalTo(basic("bob", "pa:ss"))));
    }

    @Test
    void tokenServiceRejectionCarriesStatusAndNoSecrets() {
        wm.stubFor(get(urlPathEqualTo("/token")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"details\":\"incorrect username or password " + PASSWORD + "\"}")));
        Endpoint ep = ep(new AuthConfig("alice", PASSWORD, null, null));

        assertThatThrownBy(() -> auth.respond(ep, SCOPE, List.of(bearer(""))))
                .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.status()).isEqualTo(401))
                .hasMessageStartingWith("token service " + wm.baseUrl() + "/token answered 401")
                .hasMessageContaining("incorrect username or password")
                .hasMessageNotContaining(PASSWORD)
                .hasMessageNotContaining("service=");
    }

    @Test
    void identityTokenUsesRefreshTokenPost() throws Exception {
        wm.stubFor(post("/token").willReturn(okJson("{\"access_token\":\"oauth-tok\",\"expires_in\":60}")));
        Endpoint ep = ep(new AuthConfig(null, null, null, "refresh-XYZ"));

        assertThat(auth.respond(ep, SCOPE, List.of(bearer("")))).isEqualTo("Bearer oauth-tok");

        List<LoggedRequest> posts = wm.findAll(postRequestedFor(urlEqualTo("/token")));
        assertThat(posts).hasSize(1);
        assertThat(posts.get(0).getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(form(posts.get(0).getBodyAsString())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "grant_type", "refresh_token",
                "refresh_token", "refresh-XYZ",
                "service", "registry.test",
                "scope", SCOPE,
                "client_id", "jpull"));
        wm.verify(0, getRequestedFor(urlPathEqualTo("/token")));
    }

    @Test
    void identityTokenFallsBackToGetWhenPostIsNotSupported() throws Exception {
        wm.stubFor(post("/token").willReturn(aResponse().withStatus(404)));
        wm.stubFor(get(TOKEN_PATH).willReturn(okJson("{\"token\":\"get-tok\"}")));
        Endpoint ep = ep(new AuthConfig(null, null, null, "refresh-XYZ"));

        assertThat(auth.respond(ep, SCOPE, List.of(bearer("")))).isEqualTo("Bearer get-tok");

        wm.verify(1, postRequestedFor(urlEqualTo("/token")));
        wm.verify(1, getRequestedFor(urlEqualTo(TOKEN_PATH)).withHeader("Authorization", equalTo(basic("", "refresh-XYZ"))));
    }

    @Test
    void identityTokenPostServerErrorIsNotRetriedAsGet() {
        wm.stubFor(post("/token").willReturn(aResponse().withStatus(500)));
        Endpoint ep = ep(new AuthConfig(null, null, null, "refresh-XYZ"));

        assertThatThrownBy(() -> auth.respond(ep, SCOPE, List.of(bearer(""))))
                .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.status()).isEqualTo(500))
                .hasMessageNotContaining("refresh-XYZ");
        wm.verify(0, getRequestedFor(urlPathEqualTo("/token")));
    }

    @Test
    void tokenIsCachedAndSharedAcrossEndpointsWithTheSameTokenService() throws Exception {
        wm.stubFor(get(TOKEN_PATH).willReturn(okJson("{\"token\":\"shared\"}")));
        Endpoint first = ep(null);
        Endpoint second = ep("localhost:" + wm.port(), null); // another endpoint using the same realm

        assertThat(auth.respond(first, SCOPE, List.of(bearer("")))).isEqualTo("Bearer shared");
        assertThat(auth.authorizationFor(first, SCOPE)).isEqualTo("Bearer shared");
        assertThat(auth.authorizationFor(second, SCOPE)).isNull(); // has not challenged yet
        assertThat(auth.respond(second, SCOPE, List.of(bearer("")), null)).isEqualTo("Bearer shared");
        assertThat(auth.authorizationFor(second, SCOPE)).isEqualTo("Bearer shared");

        wm.verify(1, getRequestedFor(urlPathEqualTo("/token")));
    }

    @Test
    void credentialsOfOneEndpointAreNotUsedForAnother() throws Exception {
        wm.stubFor(get(TOKEN_PATH).willReturn(okJson("{\"token\":\"t\"}")));
        auth.respond(ep(new AuthConfig("alice", PASSWORD, null, null)), SCOPE, List.of(bearer("")));
        auth.respond(ep("localhost:" + wm.port(), null), SCOPE, List.of(bearer("")));

        wm.verify(1, getRequestedFor(urlEqualTo(TOKEN_PATH)).withHeader("Authorization", equalTo(basic("alice", PASSWORD))));
        wm.verify(1, getRequestedFor(urlEqualTo(TOKEN_PATH)).withHeader("Authorization", absent()));
    }

    private void stubTwoTokens() {
        wm.stubFor(get(TOKEN_PATH).inScenario("tokens").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"token\":\"t1\"}")).willSetStateTo("second"));
        wm.stubFor(get(TOKEN_PATH).inScenario("tokens").whenScenarioStateIs("second")
                .willReturn(okJson("{\"token\":\"t2\"}")));
    }

    @Test
    void invalidTokenChallengeRefetches() throws Exception {
        stubTwoTokens();
        Endpoint ep = ep(null);
        assertThat(auth.respond(ep, SCOPE, List.of(bearer("")))).isEqualTo("Bearer t1");

        assertThat(auth.respond(ep, SCOPE, List.of(bearer(",error=\"invalid_token\"")), null)).isEqualTo("Bearer t2");

        assertThat(auth.authorizationFor(ep, SCOPE)).isEqualTo("Bearer t2");
        wm.verify(2, getRequestedFor(urlPathEqualTo("/token")));
    }

    @Test
    void rejectedCachedTokenIsRefetchedButAConcurrentlyFetchedOneIsReused() throws Exception {
        stubTwoTokens();
        Endpoint ep = ep(null);
        assertThat(auth.respond(ep, SCOPE, List.of(bearer("")))).isEqualTo("Bearer t1");
        // a request sent without a token (before t1 existed) is answered with the cached token
        assertThat(auth.respond(ep, SCOPE, List.of(bearer("")), null)).isEqualTo("Bearer t1");
        wm.verify(1, getRequestedFor(urlPathEqualTo("/token")));
        // a request that carried t1 and still got a 401: t1 is dropped and a new token fetched
        assertThat(auth.respond(ep, SCOPE, List.of(bearer("")))).isEqualTo("Bearer t2");
        wm.verify(2, getRequestedFor(urlPathEqualTo("/token")));
    }

    @Test
    void tokenExpiresAfterExpiresInWithFloorOfSixtySeconds() throws Exception {
        wm.stubFor(get(TOKEN_PATH).willReturn(okJson("{\"token\":\"short\",\"expires_in\":10}")));
        Endpoint ep = ep(null);
        auth.respond(ep, SCOPE, List.of(bearer("")));

        clock.advance(Duration.ofSeconds(50));
        assertThat(auth.authorizationFor(ep, SCOPE)).isEqualTo("Bearer short");
        clock.advance(Duration.ofSeconds(10));
        assertThat(auth.authorizationFor(ep, SCOPE)).isNull();
    }

    @Test
    void issuedAtInThePastShortensTheLifetime() throws Exception {
        wm.stubFor(get(TOKEN_PATH).willReturn(okJson(
                "{\"token\":\"old\",\"expires_in\":300,\"issued_at\":\"2025-12-31T23:58:00Z\"}")));
        Endpoint ep = ep(null);
        auth.respond(ep, SCOPE, List.of(bearer("")));

        clock.advance(Duration.ofSeconds(170));
        assertThat(auth.authorizationFor(ep, SCOPE)).isEqualTo("Bearer old");
        clock.advance(Duration.ofSeconds(10)); // 300 s after issued_at, minus the margin
        assertThat(auth.authorizationFor(ep, SCOPE)).isNull();
    }

    @Test
    void basicChallenge() throws Exception {
        Endpoint ep = ep(new AuthConfig("alice", PASSWORD, null, null));
        assertThat(auth.authorizationFor(ep, SCOPE)).isNull();

        assertThat(auth.respond(ep, SCOPE, List.of("Basic realm=\"registry\""), null)).isEqualTo(basic("alice", PASSWORD));
        assertThat(auth.authorizationFor(ep, SCOPE)).isEqualTo(basic("alice", PASSWORD));

        // the same credentials rejected again: no point in retrying
        assertThatThrownBy(() -> auth.respond(ep, SCOPE, List.of("Basic realm=\"registry\"")))
                .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.status()).isEqualTo(401))
                .hasMessageContaining("alice")
                .hasMessageNotContaining(PASSWORD);
    }

    @Test
    void basicChallengeWithoutCredentialsCannotBeAnswered() throws Exception {
        assertThat(auth.respond(ep(null), SCOPE, List.of("Basic realm=\"registry\""))).isNull();
        assertThat(auth.respond(ep(new AuthConfig(null, null, null, "refresh")), SCOPE, List.of("Basic realm=\"r\""))).isNull();
        assertThat(auth.respond(ep(null), SCOPE, List.of("Negotiate abc"))).isNull();
        assertThat(auth.respond(ep(null), SCOPE, List.of())).isNull();
    }

    @Test
    void bearerIsPreferredOverBasic() throws Exception {
        wm.stubFor(get(TOKEN_PATH).willReturn(okJson("{\"token\":\"b\"}")));
        Endpoint ep = ep(new AuthConfig("alice", PASSWORD, null, null));

        assertThat(auth.respond(ep, SCOPE, List.of("Basic realm=\"x\", " + bearer("")))).isEqualTo("Bearer b");
    }

    @Test
    void nonHttpRealmIsRefused() {
        Endpoint ep = ep(new AuthConfig("alice", PASSWORD, null, null));
        assertThatThrownBy(() -> auth.respond(ep, SCOPE, List.of("Bearer realm=\"ftp://127.0.0.1/token\",service=\"s\"")))
                .isInstanceOf(AuthException.class)
                .hasMessageContaining("ftp://127.0.0.1/token")
                .hasMessageContaining("not an http(s) URL");
        assertThatThrownBy(() -> auth.respond(ep, SCOPE, List.of("Bearer service=\"s\"")))
                .isInstanceOf(AuthException.class)
                .hasMessageContaining("without realm");
    }

    @Test
    void nonJsonTokenResponseNamesTheRealm() {
        wm.stubFor(get(urlPathEqualTo("/token")).willReturn(aResponse().withStatus(200).withBody("<html>hello</html>")));
        assertThatThrownBy(() -> auth.respond(ep(null), SCOPE, List.of(bearer(""))))
                .isInstanceOf(AuthException.class)
                .hasMessageContaining("token service " + wm.baseUrl() + "/token")
                .hasMessageContaining("not a JSON object");
    }

    @Test
    void jsonWithoutTokenIsAnError() {
        wm.stubFor(get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"\"}")));
        assertThatThrownBy(() -> auth.respond(ep(null), SCOPE, List.of(bearer(""))))
                .isInstanceOf(AuthException.class)
                .hasMessageContaining("without token");
    }

    @Test
    void oversizedTokenResponseIsRefused() {
        wm.stubFor(get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"" + "x".repeat(70_000) + "\"}")));
        assertThatThrownBy(() -> auth.respond(ep(null), SCOPE, List.of(bearer(""))))
                .isInstanceOf(AuthException.class)
                .hasMessageContaining("larger than 65536 bytes");
    }

    @Test
    void unreachableTokenServiceIsAnAuthExceptionWithoutStatus() throws Exception {
        int deadPort;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            deadPort = s.getLocalPort();
        }
        String challenge = "Bearer realm=\"http://127.0.0.1:" + deadPort + "/token?x=1\",service=\"s\"";
        assertThatThrownBy(() -> auth.respond(ep(null), SCOPE, List.of(challenge)))
                .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.status()).isZero())
                .hasMessageContaining("token service http://127.0.0.1:" + deadPort + "/token unreachable");
    }

    @Test
    void realmQueryParametersAreKept() throws Exception {
        wm.stubFor(get("/token?tenant=a&service=registry.test&scope=repository%3Alibrary%2Falpine%3Apull")
                .willReturn(okJson("{\"token\":\"q\"}")));
        String challenge = "Bearer realm=\"" + wm.baseUrl() + "/token?tenant=a\",service=\"registry.test\"";
        assertThat(auth.respond(ep(null), SCOPE, List.of(challenge))).isEqualTo("Bearer q");
    }

    @Test
    void concurrentRequestsForTheSameTokenShareOneFetch() throws Exception {
        wm.stubFor(get(TOKEN_PATH).willReturn(okJson("{\"token\":\"once\"}").withFixedDelay(500)));
        Endpoint ep = ep(null);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<String>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return auth.respond(ep, SCOPE, List.of(bearer("")), null);
                }));
            }
            start.countDown();
            for (var r : results) {
                assertThat(r.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("Bearer once");
            }
        } finally {
            pool.shutdownNow();
        }
        wm.verify(1, getRequestedFor(urlPathEqualTo("/token")));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
