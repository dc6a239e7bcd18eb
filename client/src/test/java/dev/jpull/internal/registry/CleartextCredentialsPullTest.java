package dev.jpull.internal.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.jpull.Attempt;
import dev.jpull.Jpull;
import dev.jpull.Outcome;
import dev.jpull.PullResult;
import dev.jpull.AuthConfig;
import dev.jpull.Mirror;
import dev.jpull.RegistriesConfig;
import dev.jpull.RegistryConfig;
import dev.jpull.TlsConfig;
import dev.jpull.Timeouts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials of an https mirror never travel in clear text (issue 8, point 3): not to the plain-http token realm
 * it names (the attempt fails over, saying why), and not on its redirect to a plain-http URL.
 */
class CleartextCredentialsPullTest {
    private static final String PASSWORD = "s3cret-Pa55word";
    private static final Timeouts FAST = new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(5));

    private final WireMockServer mirror = new WireMockServer(
            options().bindAddress("127.0.0.1").dynamicPort().dynamicHttpsPort());
    private final WireMockServer registry = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    private final TestImage image = TestImage.create("library/app", 2, 20_000, 41);

    @TempDir
    Path store;

    @BeforeEach
    void start() {
        mirror.start();
        registry.start();
        image.serveAll(registry, "1.0");
    }

    @AfterEach
    void stop() {
        mirror.stop();
        registry.stop();
    }

    private String mirrorHost() {
        return "127.0.0.1:" + mirror.httpsPort();
    }

    private PullResult pull() {
        var config = new RegistriesConfig(null,
                Map.of("127.0.0.1:" + registry.port(), new Mirror(List.of("https://" + mirrorHost()), Map.of())),
                Map.of(mirrorHost(), new RegistryConfig(new AuthConfig("alice", PASSWORD, null, null),
                        new TlsConfig(null, null, null, true))),
                List.of());
        // about credentials, not hedging: a first TLS handshake slow on a busy machine must not be overtaken
        return Jpull.builder().config(config).store(store).timeouts(FAST).concurrency(1).dockerConfig(false)
                .failoverPolicy(dev.jpull.FailoverPolicy.DEFAULT.withHedging(dev.jpull.Hedging.OFF)).build().pull("127.0.0.1:" + registry.port() + "/" + image.repository() + ":1.0");
    }

    private List<Attempt> mirrorAttempts(PullResult result) {
        return result.attempts().stream().filter(a -> a.endpoint().equals("https://" + mirrorHost() + "/v2")).toList();
    }

    @Test
    void anHttpsMirrorWhoseRealmIsPlainHttpGetsNoCredentialsSentThereAndFailsOver() {
        mirror.stubFor(get(urlPathMatching("/v2/.*")).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Bearer realm=\"http://127.0.0.1:" + mirror.port()
                        + "/token\",service=\"mirror\"")));
        mirror.stubFor(get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"t\"}")));

        PullResult result = pull();

        assertThat(result.digest()).isEqualTo(image.manifestDigest());
        assertThat(mirrorAttempts(result)).isNotEmpty().allSatisfy(a -> {
            assertThat(a.outcome()).isEqualTo(Outcome.UNAUTHORIZED);
            assertThat(a.error()).contains("in clear text").contains("token service http://127.0.0.1:" + mirror.port() + "/token")
                    .contains("the endpoint is https but its token realm is plain http")
                    .doesNotContain(PASSWORD);
        });
        mirror.verify(0, getRequestedFor(urlPathEqualTo("/token")));
        mirror.verify(0, anyRequestedFor(anyUrl()).withHeader("Authorization", matching("Basic .*")));
    }

    @Test
    void anHttpsToHttpRedirectCarriesNoCredentials() {
        String manifest = image.manifestPath("1.0");
        mirror.stubFor(get(urlPathMatching("/v2/.*")).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Basic realm=\"mirror\"")));
        mirror.stubFor(get(urlPathEqualTo(manifest)).withHeader("Authorization", matching("Basic .+"))
                .willReturn(aResponse().withStatus(307)
                        .withHeader("Location", "http://127.0.0.1:" + registry.port() + manifest)));

        PullResult result = pull();

        assertThat(result.digest()).isEqualTo(image.manifestDigest());
        assertThat(result.endpoint()).isEqualTo("https://" + mirrorHost() + "/v2"); // served via the redirect
        mirror.verify(getRequestedFor(urlPathEqualTo(manifest)).withHeader("Authorization", matching("Basic .+")));
        registry.verify(getRequestedFor(urlPathEqualTo(manifest)).withHeader("Authorization", absent()));
        registry.verify(0, anyRequestedFor(anyUrl()).withHeader("Authorization", matching(".*")));
    }
}
