package dev.jpull.testdata;

import static dev.jpull.testdata.RegistryFixtureIT.basic;
import static dev.jpull.testdata.RegistryFixtureIT.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TokenServer ts;
    private final HttpClient http = RegistryFixtureIT.http(null);

    @BeforeAll
    static void start() {
        ts = TokenServer.start(Certs.get(), Set.of("public/app"));
    }

    @AfterAll
    static void stop() {
        ts.close();
    }

    @BeforeEach
    void reset() {
        ts.resetRequests();
    }

    @Test
    void basicAuthGetGrantsRequestedActionsInAnX5cSignedJwt() throws Exception {
        HttpResponse<String> r = send(get(ts.realm() + "?service=" + TokenServer.SERVICE
                + "&scope=repository:team/app:pull,push").header("Authorization", basic("admin", "Harbor12345")).build());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("token").asText()).isEqualTo(body.get("access_token").asText());
        assertThat(body.get("expires_in").asInt()).isEqualTo(300);
        assertThat(body.has("issued_at")).isTrue();
        assertThat(body.has("refresh_token")).isFalse();

        String[] parts = body.get("token").asText().split("\\.");
        assertThat(parts).hasSize(3);
        JsonNode header = decode(parts[0]);
        JsonNode claims = decode(parts[1]);
        assertThat(header.get("alg").asText()).isEqualTo("RS256");
        assertThat(header.get("x5c").get(0).asText()).isNotEmpty();
        assertThat(claims.get("iss").asText()).isEqualTo(TokenServer.ISSUER);
        assertThat(claims.get("aud").asText()).isEqualTo(TokenServer.SERVICE);
        assertThat(claims.get("sub").asText()).isEqualTo("admin");
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(300);
        JsonNode access = claims.get("access").get(0);
        assertThat(access.get("type").asText()).isEqualTo("repository");
        assertThat(access.get("name").asText()).isEqualTo("team/app");
        assertThat(access.get("actions").toString()).isEqualTo("[\"pull\",\"push\"]");

        assertThat(ts.requestCount()).isEqualTo(1);
        assertThat(ts.requests().get(0)).isEqualTo(new TokenServer.TokenRequest("GET", null, TokenServer.SERVICE,
                java.util.List.of("repository:team/app:pull,push"), "admin", 200));
    }

    @Test
    void wrongCredentialsAre401AndAnonymousGetsOnlyPublicPull() throws Exception {
        assertThat(send(get(ts.realm() + "?service=" + TokenServer.SERVICE + "&scope=repository:team/app:pull")
                .header("Authorization", basic("admin", "nope")).build()).statusCode()).isEqualTo(401);

        HttpResponse<String> anon = send(get(ts.realm() + "?service=" + TokenServer.SERVICE
                + "&scope=repository:team/app:pull&scope=repository:public/app:pull,push").build());
        assertThat(anon.statusCode()).isEqualTo(200);
        JsonNode access = decode(JSON.readTree(anon.body()).get("token").asText().split("\\.")[1]).get("access");
        assertThat(access.get(0).get("actions")).isEmpty();
        assertThat(access.get(1).get("name").asText()).isEqualTo("public/app");
        assertThat(access.get(1).get("actions").toString()).isEqualTo("[\"pull\"]");

        assertThat(send(get(ts.realm() + "?service=other").build()).statusCode()).isEqualTo(400);
        assertThat(ts.requests()).extracting(TokenServer.TokenRequest::status).containsExactly(401, 200, 400);
        assertThat(ts.requests().toString()).doesNotContain("Harbor12345").doesNotContain("nope");
    }

    @Test
    void oauthPostSupportsPasswordAndRefreshTokenGrants() throws Exception {
        HttpResponse<String> pw = post("grant_type=password&service=" + TokenServer.SERVICE
                + "&client_id=jpull&username=admin&password=Harbor12345&scope=repository%3Ateam%2Fapp%3Apull");
        assertThat(pw.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(pw.body());
        assertThat(body.get("refresh_token").asText()).isEqualTo(TokenServer.REFRESH_TOKEN);
        assertThat(decode(body.get("access_token").asText().split("\\.")[1]).get("access").get(0).get("actions")
                .toString()).isEqualTo("[\"pull\"]");

        HttpResponse<String> refresh = post("grant_type=refresh_token&service=" + TokenServer.SERVICE
                + "&refresh_token=" + TokenServer.REFRESH_TOKEN + "&scope=repository%3Ateam%2Fapp%3Apull");
        assertThat(refresh.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(refresh.body()).get("access_token").asText()).isNotEmpty();

        assertThat(post("grant_type=refresh_token&refresh_token=bogus").statusCode()).isEqualTo(401);
        assertThat(post("grant_type=password&username=admin&password=x").statusCode()).isEqualTo(401);
        assertThat(ts.requests()).extracting(TokenServer.TokenRequest::grantType)
                .containsExactly("password", "refresh_token", "refresh_token", "password");
    }

    @Test
    void skopeoObtainsTokensForPushAndPull(@TempDir Path layout) {
        new ImageGenerator().singlePlatform(layout, "img", 1, 100);
        try (TokenServer own = TokenServer.start(Certs.get());
             RegistryFixture reg = RegistryFixture.startToken(own)) {
            Skopeo.copyToRegistry(layout, "img", reg, "team/app:1");
            assertThat(own.requests()).anySatisfy(r -> {
                assertThat(r.user()).isEqualTo("admin");
                assertThat(r.scopes()).anySatisfy(s -> assertThat(s).startsWith("repository:team/app:").contains("push"));
            });
            assertThat(reg.tokenServer()).isSameAs(own);
        }
    }

    private HttpResponse<String> send(HttpRequest req) throws Exception {
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String form) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(ts.realm())).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    private static JsonNode decode(String part) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(part));
    }
}
