package dev.jpull.internal.http;

import dev.jpull.ProxyConfig;
import dev.jpull.Timeouts;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.jpull.testdata.HostileRegistry;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** The {@code --debug} HTTP trace: headers both ways, secrets redacted, bodies never shown. */
class HttpTraceTest {

    @Test
    void credentialsAndCookiesKeepOnlyTheirScheme() {
        assertThat(HttpTrace.redactHeader("Authorization", "Basic YWRtaW46SGFyYm9yMTIzNDU="))
                .isEqualTo("Basic <redacted>");
        assertThat(HttpTrace.redactHeader("authorization", "Bearer eyJhbGciOi.x.y")).isEqualTo("Bearer <redacted>");
        assertThat(HttpTrace.redactHeader("Proxy-Authorization", "Basic dTpw")).isEqualTo("Basic <redacted>");
        assertThat(HttpTrace.redactHeader("Cookie", "session=abc")).isEqualTo("<redacted>");
        assertThat(HttpTrace.redactHeader("Set-Cookie", "session=abc; HttpOnly")).isEqualTo("<redacted>");
        assertThat(HttpTrace.redactHeader("Content-Type", "application/json")).isEqualTo("application/json");
        assertThat(HttpTrace.redactHeader("WWW-Authenticate", "Basic realm=\"r\"")).isEqualTo("Basic realm=\"r\"");
    }

    @Test
    void urlsLoseUserInfoAndSignaturesButKeepTokenScopes() {
        HttpUrl signed = HttpUrl.get("https://user:pw@s3.example/b/sha256:ab?X-Amz-Signature=deadbeef"
                + "&X-Amz-Credential=AKIA123&token=t0k");
        assertThat(HttpTrace.redact(signed)).isEqualTo("https://%3Credacted%3E@s3.example/b/sha256:ab"
                        .replace("%3Credacted%3E", "<redacted>")
                + "?X-Amz-Signature=<redacted>&X-Amz-Credential=<redacted>&token=<redacted>")
                .doesNotContain("deadbeef").doesNotContain("AKIA123").doesNotContain("pw");
        HttpUrl token = HttpUrl.get("https://auth.example/token?scope=repository:library/alpine:pull"
                + "&service=registry.example&account=admin");
        assertThat(HttpTrace.redact(token)).isEqualTo(token.toString());
        assertThat(HttpTrace.redactHeader("Location", "https://cdn.example/blob?sig=s3cr3t&n=1"))
                .isEqualTo("https://cdn.example/blob?sig=<redacted>&n=1");
    }

    @Test
    void everyRequestAndResponseIsTracedHeadersOnly() throws IOException {
        WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        try {
            server.stubFor(get(urlPathEqualTo("/token")).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withHeader("Set-Cookie", "sid=cookie-secret")
                    .withBody("{\"token\":\"body-secret-token\"}")));
            List<String> blocks = new CopyOnWriteArrayList<>();
            HttpClients clients = new HttpClients(Timeouts.DEFAULTS, ProxyConfig.NONE, blocks::add);
            Request request = new Request.Builder().url(server.baseUrl() + "/token?scope=repository:a:pull")
                    .header("Authorization", "Basic YWRtaW46SGFyYm9yMTIzNDU=").build();
            try (Response response = clients.plain().newCall(request).execute()) {
                assertThat(response.body().string()).contains("body-secret-token");
            }

            assertThat(blocks).hasSize(2);
            assertThat(blocks.get(0)).startsWith("> GET " + server.baseUrl() + "/token?scope=repository:a:pull\n")
                    .contains("\n> Authorization: Basic <redacted>")
                    .contains("\n> Accept-Encoding: identity");
            assertThat(blocks.get(1)).startsWith("< 200 OK (").contains(" ms) GET " + server.baseUrl() + "/token")
                    .contains("\n< Content-Type: application/json")
                    .contains("\n< Set-Cookie: <redacted>");
            String all = String.join("\n", blocks);
            assertThat(all).doesNotContain("YWRtaW46SGFyYm9yMTIzNDU=").doesNotContain("body-secret-token")
                    .doesNotContain("cookie-secret");
        } finally {
            server.stop();
        }
    }

    @Test
    void withoutASinkNothingIsAdded() {
        assertThat(new HttpClients(Timeouts.DEFAULTS).plain().networkInterceptors()).isEmpty();
        assertThat(new HttpClients(Timeouts.DEFAULTS, ProxyConfig.NONE, s -> { }).plain().networkInterceptors())
                .hasSize(1);
    }

    @Test
    void serverTextInTheTraceIsEscaped() throws IOException {
        try (HostileRegistry server = new HostileRegistry()) {
            server.route("/v2/", HostileRegistry.Reply.of(401, "Unauthorized \u001b]0;owned\u0007", new byte[0],
                    "WWW-Authenticate", "Bearer realm=\"http://x/\u001b[2J\",service=\"s\u0007\u007f\"",
                    "X-\u001bEvil", "v\u001b[31m"));
            List<String> blocks = new CopyOnWriteArrayList<>();
            HttpClients clients = new HttpClients(Timeouts.DEFAULTS, ProxyConfig.NONE, blocks::add);
            try (Response response = clients.plain().newCall(new Request.Builder()
                    .url("http://" + server.hostPort() + "/v2/").build()).execute()) {
                assertThat(response.code()).isEqualTo(401);
            }

            String trace = String.join("\n", blocks);
            assertThat(trace.chars().filter(c -> c != '\n')).noneMatch(c -> c < 0x20 || c >= 0x7f && c <= 0x9f);
            assertThat(trace).contains("< 401 Unauthorized \\x1b]0;owned\\x07 (")
                    .contains("\n< WWW-Authenticate: Bearer realm=\"http://x/\\x1b[2J\",service=\"s\\x07\\x7f\"")
                    .contains("\n< X-\\x1bEvil: v\\x1b[31m");
        }
    }
}
