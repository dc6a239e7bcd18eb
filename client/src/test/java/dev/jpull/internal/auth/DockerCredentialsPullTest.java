package dev.jpull.internal.auth;

import dev.jpull.spi.CredentialSource;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.jpull.internal.auth.DockerConfigCredentialsTest.b64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.jpull.Jpull;
import dev.jpull.Outcome;
import dev.jpull.PullFailedException;
import dev.jpull.PullResult;
import dev.jpull.internal.http.MiniImage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole pulls from WireMock registries whose credentials exist only in Docker's config.json or a helper. */
class DockerCredentialsPullTest {
    static final String PASSWORD = "wire-Secret-42";
    private final WireMockServer registry = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    private final MiniImage image = MiniImage.create("team/app");

    @TempDir
    Path tmp;
    private Path home;
    private Path dockerDir;

    @BeforeEach
    void start() throws IOException {
        registry.start();
        home = Files.createDirectories(tmp.resolve("home"));
        dockerDir = Files.createDirectories(tmp.resolve("docker"));
    }

    @AfterEach
    void stop() {
        registry.stop();
    }

    private String host() {
        return "127.0.0.1:" + registry.port();
    }

    private void requireBasic(String user) {
        String header = okhttp3.Credentials.basic(user, PASSWORD);
        image.serve(registry, "1.0", m -> m.withHeader("Authorization", equalTo(header)));
        MiniImage.challengeOthers(registry, "Basic realm=\"registry\"");
    }

    private Map<String, String> env(Path bin) {
        return Map.of("DOCKER_CONFIG", dockerDir.toString(), "PATH", bin + ":/usr/bin:/bin",
                "HELPER_LOG", tmp.resolve("helper.log").toString());
    }

    private PullResult pull(Map<String, String> env) {
        return Jpull.builder().store(tmp.resolve("store")).credentials(CredentialSource.standard(env, home))
                .concurrency(1).build().pull(host() + "/team/app:1.0");
    }

    @Test
    void basicCredentialsFromConfigJson() throws IOException {
        requireBasic("alice");
        Files.writeString(dockerDir.resolve("config.json"),
                "{\"auths\":{\"" + host() + "\":{\"auth\":\"" + b64("alice:" + PASSWORD) + "\"}}}");

        PullResult r = pull(env(tmp.resolve("nobin")));

        assertThat(r.manifestDigest()).isEqualTo(image.manifestDigest());
        registry.verify(getRequestedFor(urlPathEqualTo("/v2/team/app/blobs/" + dev.jpull.internal.oci.Digests.sha256(image.layer())))
                .withHeader("Authorization", equalTo(okhttp3.Credentials.basic("alice", PASSWORD))));
    }

    @Test
    void basicCredentialsFromAHelperScript() throws IOException {
        requireBasic("helper-user");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        HelperCredentialsTest.helper(bin, "script", HelperCredentialsTest.answer("helper-user", PASSWORD));
        Files.writeString(dockerDir.resolve("config.json"), "{\"credsStore\":\"script\"}");

        PullResult r = pull(env(bin));

        assertThat(r.manifestDigest()).isEqualTo(image.manifestDigest());
        assertThat(Files.readAllLines(tmp.resolve("helper.log"))).containsExactly("get " + host());
    }

    @Test
    void withoutDockerConfigTheSameRegistryIsUnauthorized() {
        requireBasic("alice");
        Jpull jpull = Jpull.builder().store(tmp.resolve("store")).dockerConfig(false).build();

        assertThatThrownBy(() -> jpull.pull(host() + "/team/app:1.0"))
                .isInstanceOfSatisfying(PullFailedException.class, e -> assertThat(e.attempts())
                        .extracting(a -> a.outcome()).containsOnly(Outcome.UNAUTHORIZED));
    }

    @Test
    void credentialsForAnotherHostAreNeverSent() throws IOException {
        requireBasic("alice");
        Files.writeString(dockerDir.resolve("config.json"), "{\"auths\":{\"127.0.0.1:1\":{\"auth\":\""
                + b64("alice:" + PASSWORD) + "\"},\"127.0.0.1\":{\"auth\":\"" + b64("alice:" + PASSWORD) + "\"}}}");

        assertThatThrownBy(() -> pull(env(tmp.resolve("nobin")))).isInstanceOf(PullFailedException.class);

        registry.verify(anyRequestedFor(anyUrl()).withHeader("Authorization", absent()));
        assertThat(registry.findAll(anyRequestedFor(anyUrl()).withHeader("Authorization", containing("Basic")))).isEmpty();
    }

    @Test
    void registryTokenIsSentAsBearerWithoutATokenService() throws IOException {
        image.serve(registry, "1.0", m -> m.withHeader("Authorization", equalTo("Bearer reg-tok-" + PASSWORD)));
        MiniImage.challengeOthers(registry, "Bearer realm=\"" + registry.baseUrl() + "/token\",service=\"test\"");
        Files.writeString(dockerDir.resolve("config.json"),
                "{\"auths\":{\"" + host() + "\":{\"registrytoken\":\"reg-tok-" + PASSWORD + "\"}}}");

        assertThat(pull(env(tmp.resolve("nobin"))).manifestDigest()).isEqualTo(image.manifestDigest());

        registry.verify(0, getRequestedFor(urlPathEqualTo("/token")));
    }

    @Test
    void identityTokenFromAHelperIsUsedAsRefreshToken() throws IOException {
        image.serve(registry, "1.0", m -> m.withHeader("Authorization", equalTo("Bearer access-1")));
        MiniImage.challengeOthers(registry, "Bearer realm=\"" + registry.baseUrl() + "/token\",service=\"test\"");
        registry.stubFor(post(urlPathEqualTo("/token")).withRequestBody(containing("refresh_token=refresh-" + PASSWORD))
                .willReturn(okJson("{\"access_token\":\"access-1\",\"expires_in\":300}")));
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        HelperCredentialsTest.helper(bin, "idt", HelperCredentialsTest.answer("<token>", "refresh-" + PASSWORD));
        Files.writeString(dockerDir.resolve("config.json"), "{\"credHelpers\":{\"" + host() + "\":\"idt\"}}");

        assertThat(pull(env(bin)).manifestDigest()).isEqualTo(image.manifestDigest());

        registry.verify(1, postRequestedFor(urlPathEqualTo("/token"))
                .withRequestBody(containing("grant_type=refresh_token")));
    }

    @Test
    void aBrokenHelperFailsThePullWithAUsageError() throws IOException {
        requireBasic("alice");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        HelperCredentialsTest.helper(bin, "locked", "echo 'store is locked'; exit 2");
        Files.writeString(dockerDir.resolve("config.json"), "{\"credsStore\":\"locked\"}");

        assertThatThrownBy(() -> pull(env(bin)))
                .isInstanceOf(dev.jpull.CredentialsException.class)
                .hasMessageContaining("docker-credential-locked failed for " + host());
    }
}
