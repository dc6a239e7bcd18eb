package dev.jpull.internal.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.notMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.jpull.Attempt;
import dev.jpull.Jpull;
import dev.jpull.Outcome;
import dev.jpull.PullFailedException;
import dev.jpull.PullResult;
import dev.jpull.AuthConfig;
import dev.jpull.Mirror;
import dev.jpull.RegistriesConfig;
import dev.jpull.RegistryConfig;
import dev.jpull.TlsConfig;
import dev.jpull.EndpointDiagnosis;
import dev.jpull.Verdict;
import dev.jpull.internal.http.HttpClients;
import dev.jpull.Timeouts;
import dev.jpull.internal.oci.MediaTypes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pull} and {@code diagnose} go through the one registry transport ({@link dev.jpull.internal.http.Transport}), so
 * they take the same redirect and credential decisions and send the same user agent (issue 9, point 3): a
 * credentialed request redirected to another host loses its {@code Authorization} on both; a redirect chain
 * longer than the limit is refused by both; an https endpoint whose token realm is plain http gets its
 * credentials refused the same way by both.
 */
class TransportAgreementTest {
    private static final String PASSWORD = "s3cret-Pa55word";
    private static final Timeouts FAST = new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(5));

    /** The registry: Basic auth on every request, reached as 127.0.0.1. */
    private final WireMockServer registry = new WireMockServer(
            options().bindAddress("127.0.0.1").dynamicPort().dynamicHttpsPort());
    /** Object storage the registry redirects to, reached as localhost (another host). */
    private final WireMockServer storage = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    private final TestImage image = TestImage.create("library/app", 1, 5_000, 17);

    @TempDir
    Path store;

    @BeforeEach
    void start() {
        registry.start();
        storage.start();
        image.serveAll(registry, "1.0");
        registry.stubFor(any(anyUrl()).withHeader("Authorization", absent()).atPriority(1)
                .willReturn(aResponse().withStatus(401).withHeader("WWW-Authenticate", "Basic realm=\"r\"")));
        registry.stubFor(get(urlPathEqualTo("/v2/")).willReturn(aResponse().withStatus(200)
                .withHeader("Docker-Distribution-API-Version", "registry/2.0")));
    }

    @AfterEach
    void stop() {
        registry.stop();
        storage.stop();
    }

    private String registryHost() {
        return "127.0.0.1:" + registry.port();
    }

    private String imageRef() {
        return registryHost() + "/" + image.repository() + ":1.0";
    }

    private Jpull jpull(RegistriesConfig config) {
        return Jpull.builder().config(config).store(store).timeouts(FAST).concurrency(1).dockerConfig(false)
                .disableDefaultEndpoint(true).build();
    }

    /** The registry itself, with Basic credentials. */
    private Jpull withCredentials() {
        return jpull(new RegistriesConfig(null, Map.of(),
                Map.of(registryHost(), new RegistryConfig(new AuthConfig("alice", PASSWORD, null, null), null)),
                List.of()));
    }

    /** The manifest requests (GET and HEAD, authenticated) are redirected to {@code location}. */
    private void redirectManifestTo(String location) {
        registry.stubFor(any(urlPathEqualTo(image.manifestPath("1.0"))).atPriority(2)
                .willReturn(aResponse().withStatus(307).withHeader("Location", location)));
    }

    private void everyRequestCarriesTheOneUserAgent() {
        for (WireMockServer s : List.of(registry, storage)) {
            assertThat(s.findAll(anyRequestedFor(anyUrl()))).isNotEmpty();
            s.verify(0, anyRequestedFor(anyUrl()).withHeader("User-Agent",
                    notMatching(java.util.regex.Pattern.quote(HttpClients.USER_AGENT))));
        }
    }

    @Test
    void aRedirectToAnotherHostDropsAuthorizationOnPullAndDiagnoseAlike() {
        storage.stubFor(any(urlPathEqualTo("/objects/manifest")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", MediaTypes.OCI_MANIFEST)
                .withHeader("Docker-Content-Digest", image.manifestDigest()).withBody(image.manifest())));
        redirectManifestTo("http://localhost:" + storage.port() + "/objects/manifest");
        Jpull jpull = withCredentials();

        PullResult pulled = jpull.pull(imageRef());
        EndpointDiagnosis diagnosed = jpull.diagnose(imageRef()).endpoints().get(0);

        assertThat(pulled.digest()).isEqualTo(image.manifestDigest());
        assertThat(diagnosed.verdict()).as(diagnosed.detail()).isEqualTo(Verdict.OK);
        assertThat(diagnosed.manifest().digest()).isEqualTo(pulled.digest());
        // both sent credentials to the registry, and neither to the other host
        registry.verify(anyRequestedFor(urlPathEqualTo(image.manifestPath("1.0")))
                .withHeader("Authorization", matching("Basic .+")));
        assertThat(storage.findAll(anyRequestedFor(urlPathEqualTo("/objects/manifest"))))
                .extracting(r -> r.getMethod().getName()).contains("GET", "HEAD");
        storage.verify(0, anyRequestedFor(anyUrl()).withHeader("Authorization", matching(".*")));
        everyRequestCarriesTheOneUserAgent();
    }

    @Test
    void aRedirectTargetsChallengeIsAnsweredByNeither() {
        // the other host asks for credentials: the endpoint's must not go there, nor to a realm it names
        storage.stubFor(any(urlPathEqualTo("/objects/manifest")).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Bearer realm=\"http://localhost:" + storage.port() + "/token\"")));
        storage.stubFor(get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"t\"}")));
        redirectManifestTo("http://localhost:" + storage.port() + "/objects/manifest");
        Jpull jpull = withCredentials();

        assertThatThrownBy(() -> jpull.pull(imageRef())).isInstanceOfSatisfying(PullFailedException.class,
                e -> assertThat(e.attempts()).extracting(Attempt::outcome).containsOnly(Outcome.UNAUTHORIZED));
        EndpointDiagnosis diagnosed = jpull.diagnose(imageRef()).endpoints().get(0);

        assertThat(diagnosed.verdict()).as(diagnosed.detail()).isEqualTo(Verdict.UNAUTHORIZED);
        assertThat(diagnosed.manifest().status()).isEqualTo(401);
        storage.verify(0, anyRequestedFor(urlPathEqualTo("/token")));
        storage.verify(0, anyRequestedFor(anyUrl()).withHeader("Authorization", matching(".*")));
        everyRequestCarriesTheOneUserAgent();
    }

    @Test
    void aRedirectChainLongerThanTheLimitIsRefusedByBoth() {
        // 11 hops on the registry itself: one more than the transport follows
        redirectManifestTo("/hop/1");
        for (int i = 1; i <= 10; i++) {
            registry.stubFor(any(urlPathEqualTo("/hop/" + i)).atPriority(2).willReturn(aResponse().withStatus(307)
                    .withHeader("Location", i < 10 ? "/hop/" + (i + 1) : "/objects/manifest")));
        }
        registry.stubFor(any(urlPathEqualTo("/objects/manifest")).atPriority(2).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", MediaTypes.OCI_MANIFEST)
                .withHeader("Docker-Content-Digest", image.manifestDigest()).withBody(image.manifest())));
        Jpull jpull = withCredentials();

        assertThatThrownBy(() -> jpull.pull(imageRef())).isInstanceOfSatisfying(PullFailedException.class,
                e -> assertThat(e.attempts()).allSatisfy(a -> {
                    assertThat(a.outcome()).isEqualTo(Outcome.PROTOCOL_ERROR);
                    assertThat(a.error()).isEqualTo("too many redirects");
                }));
        EndpointDiagnosis diagnosed = jpull.diagnose(imageRef()).endpoints().get(0);

        assertThat(diagnosed.verdict()).isEqualTo(Verdict.PROTOCOL_ERROR);
        assertThat(diagnosed.detail()).isEqualTo("HEAD manifest: too many redirects");
        registry.verify(0, anyRequestedFor(urlPathEqualTo("/objects/manifest")));
        // same-origin hops keep the credentials
        registry.verify(anyRequestedFor(urlPathEqualTo("/hop/10")).withHeader("Authorization", matching("Basic .+")));
    }

    @Test
    void anHttpRealmOfAnHttpsEndpointGetsNoCredentialsFromEither() {
        registry.resetAll();
        registry.stubFor(any(urlPathMatching("/v2/.*")).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Bearer realm=\"http://127.0.0.1:" + registry.port()
                        + "/token\",service=\"r\"")));
        registry.stubFor(get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"t\"}")));
        String httpsHost = "127.0.0.1:" + registry.httpsPort();
        Jpull jpull = jpull(new RegistriesConfig(null,
                Map.of("example.test", new Mirror(List.of("https://" + httpsHost), Map.of())),
                Map.of(httpsHost, new RegistryConfig(new AuthConfig("alice", PASSWORD, null, null),
                        new TlsConfig(null, null, null, true))),
                List.of()));
        String ref = "example.test/" + image.repository() + ":1.0";

        List<Attempt> attempts = List.of();
        try {
            jpull.pull(ref);
        } catch (PullFailedException e) {
            attempts = e.attempts();
        }
        EndpointDiagnosis diagnosed = jpull.diagnose(ref).endpoints().get(0);

        String refusal = "refusing to send the credentials for " + httpsHost + " in clear text to token service "
                + "http://127.0.0.1:" + registry.port() + "/token: the endpoint is https but its token realm is "
                + "plain http";
        assertThat(attempts).isNotEmpty().allSatisfy(a -> {
            assertThat(a.outcome()).isEqualTo(Outcome.UNAUTHORIZED);
            assertThat(a.error()).isEqualTo("authentication failed: " + refusal);
        });
        assertThat(diagnosed.verdict()).isEqualTo(Verdict.UNAUTHORIZED);
        assertThat(diagnosed.auth().error()).isEqualTo(refusal);
        assertThat(diagnosed.detail()).isEqualTo(refusal);
        registry.verify(0, anyRequestedFor(urlPathEqualTo("/token")));
        registry.verify(0, anyRequestedFor(anyUrl()).withHeader("Authorization", matching(".*")));
        assertThat(diagnosed.toString()).doesNotContain(PASSWORD);
    }
}
