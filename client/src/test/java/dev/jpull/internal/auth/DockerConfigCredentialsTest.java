package dev.jpull.internal.auth;

import dev.jpull.spi.CredentialSource;
import dev.jpull.spi.Credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpull.CredentialsException;
import dev.jpull.RegistryConfig;
import dev.jpull.Endpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigCredentialsTest {
    static final String SECRET = "Sup3r-Secret-Value";

    @TempDir
    Path tmp;

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static Endpoint ep(String host) {
        return ep(host, "library/alpine");
    }

    static Endpoint ep(String host, String repository) {
        return new Endpoint("https", host, "/v2", repository, null, RegistryConfig.EMPTY, null, true, null);
    }

    private Path write(String relative, String json) throws IOException {
        Path p = tmp.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, json);
        return p;
    }

    private DockerConfigCredentials docker(String json) throws IOException {
        return DockerConfigCredentials.dockerConfigFile(write("docker/config.json", json), Map.of());
    }

    private static Credentials creds(CredentialSource s, String host) {
        CredentialSource.Found f = s.find(ep(host));
        return f == null ? null : f.credentials();
    }

    @Test
    void allEntryForms() throws IOException {
        DockerConfigCredentials s = docker("""
                {"auths": {
                  "auth.example": {"auth": "%s"},
                  "nul.example": {"auth": "%s"},
                  "fields.example": {"username": "bob", "password": "%s"},
                  "both.example": {"auth": "%s", "username": "ignored", "password": "ignored"},
                  "identity.example": {"username": "00000000", "identitytoken": "refresh-%s"},
                  "registry.example": {"registrytoken": "bearer-%s"},
                  "empty.example": {},
                  "email.example": {"email": "a@b.c", "password": "lonely"}
                }, "HttpHeaders": {"X-Meta": "ignored"}}
                """.formatted(b64("alice:" + SECRET + ":x"), b64("nul:pw\0\0"), SECRET, b64("carol:" + SECRET),
                SECRET, SECRET));

        assertThat(creds(s, "auth.example")).isEqualTo(new Credentials("alice", SECRET + ":x", null));
        assertThat(creds(s, "nul.example")).isEqualTo(new Credentials("nul", "pw", null));
        assertThat(creds(s, "fields.example")).isEqualTo(new Credentials("bob", SECRET, null));
        assertThat(creds(s, "both.example")).isEqualTo(new Credentials("carol", SECRET, null));
        assertThat(creds(s, "identity.example")).isEqualTo(new Credentials("00000000", null, "refresh-" + SECRET));
        assertThat(creds(s, "registry.example")).isEqualTo(Credentials.ofRegistryToken("bearer-" + SECRET));
        assertThat(creds(s, "empty.example")).isNull();
        assertThat(creds(s, "email.example")).isNull();
        assertThat(s.find(ep("auth.example")).origin()).isEqualTo(tmp.resolve("docker/config.json").toString());
        assertThat(s.find(ep("registry.example")).toString()).doesNotContain(SECRET);
    }

    @Test
    void dockerHubEndpointsUseTheIndexV1Key() throws IOException {
        DockerConfigCredentials s = docker("""
                {"auths": {"https://index.docker.io/v1/": {"auth": "%s"}, "other.example": {"auth": "%s"}}}
                """.formatted(b64("hubuser:" + SECRET), b64("x:y")));
        for (String host : new String[] {"docker.io", "index.docker.io", "registry-1.docker.io"}) {
            assertThat(creds(s, host)).as(host).isEqualTo(new Credentials("hubuser", SECRET, null));
        }
        assertThat(DockerConfigCredentials.dockerKey(ep("registry-1.docker.io"))).isEqualTo("https://index.docker.io/v1/");
        assertThat(DockerConfigCredentials.dockerKey(ep("reg.example:5000"))).isEqualTo("reg.example:5000");
    }

    @Test
    void hubIsOnlyFoundUnderItsExactKey() throws IOException {
        DockerConfigCredentials s = docker("""
                {"auths": {"index.docker.io": {"auth": "%s"}, "https://registry-1.docker.io/v2/": {"auth": "%s"}}}
                """.formatted(b64("a:b"), b64("c:d")));
        assertThat(creds(s, "docker.io")).isNull();
        assertThat(creds(s, "registry-1.docker.io")).isNull();
    }

    @Test
    void hostnameMatchingStripsSchemeAndPathButKeepsThePort() throws IOException {
        DockerConfigCredentials s = docker("""
                {"auths": {
                  "https://reg.example.com/v2/": {"auth": "%s"},
                  "http://plain.example:5000": {"auth": "%s"},
                  "reg.example.com:5000": {"auth": "%s"},
                  "exact.example": {"auth": "%s"},
                  "https://exact.example/": {"auth": "%s"}
                }}
                """.formatted(b64("url:1"), b64("plain:2"), b64("port:3"), b64("exact:4"), b64("url-exact:5")));
        assertThat(creds(s, "reg.example.com").username()).isEqualTo("url");
        assertThat(creds(s, "reg.example.com:5000").username()).isEqualTo("port");
        assertThat(creds(s, "plain.example:5000").username()).isEqualTo("plain");
        assertThat(creds(s, "plain.example")).isNull();
        assertThat(creds(s, "exact.example").username()).isEqualTo("exact");
        // credentials are bound to their host: never offered to another one
        assertThat(creds(s, "evil.example")).isNull();
        assertThat(creds(s, "example.com")).isNull();
        assertThat(creds(s, "reg.example.com.evil.io")).isNull();
    }

    @Test
    void malformedFilesNameTheFileAndNeverTheSecret() throws IOException {
        String[] broken = {
            "{\"auths\": {\"r.example\": {\"auth\": \"%%%" + SECRET + "\"}}}",
            "{\"auths\": {\"r.example\": {\"auth\": \"" + b64(SECRET) + "\"}}}",
            "{\"auths\": {\"r.example\": {\"auth\": \"" + b64(":" + SECRET) + "\"}}}",
            "{\"auths\": {\"r.example\": {\"password\": \"" + SECRET + "\", ",
            "{\"auths\": {\"r.example\": {\"username\": 42, \"password\": \"" + SECRET + "\"}}}",
            "{\"auths\": [\"" + SECRET + "\"]}",
            "[\"" + SECRET + "\"]",
            "{\"credHelpers\": {\"r.example\": {\"x\": \"" + SECRET + "\"}}}",
        };
        for (String json : broken) {
            DockerConfigCredentials s = docker(json);
            assertThatThrownBy(() -> s.find(ep("r.example"))).as(json)
                    .isInstanceOf(CredentialsException.class)
                    .hasMessageContaining(tmp.resolve("docker/config.json").toString())
                    .hasMessageNotContaining(SECRET)
                    .hasMessageNotContaining(b64(SECRET));
        }
        assertThatThrownBy(() -> docker("{\n  \"auths\": {\n    \"r.example\": {\"auth\": \"" + SECRET + "\" \n").find(ep("r")))
                .hasMessageContaining("malformed JSON at line");
    }

    @Test
    void standardLocationsOfDockerConfig() throws IOException {
        Path home = tmp.resolve("home");
        write("home/.docker/config.json", "{\"auths\": {\"r.example\": {\"auth\": \"" + b64("home:1") + "\"}}}");
        write("elsewhere/config.json", "{\"auths\": {\"r.example\": {\"auth\": \"" + b64("dockerconfig:2") + "\"}}}");

        assertThat(creds(DockerConfigCredentials.dockerConfig(Map.of(), home), "r.example").username()).isEqualTo("home");
        assertThat(creds(DockerConfigCredentials.dockerConfig(
                Map.of("DOCKER_CONFIG", tmp.resolve("elsewhere").toString()), home), "r.example").username())
                .isEqualTo("dockerconfig");
        assertThat(creds(DockerConfigCredentials.dockerConfig(Map.of("DOCKER_CONFIG", tmp.resolve("none").toString()),
                home), "r.example")).isNull();
        // DOCKER_AUTH_CONFIG is layered in front of the file
        DockerConfigCredentials inline = DockerConfigCredentials.dockerConfig(Map.of("DOCKER_AUTH_CONFIG",
                "{\"auths\": {\"r.example\": {\"auth\": \"" + b64("inline:3") + "\"}}}"), home);
        assertThat(creds(inline, "r.example").username()).isEqualTo("inline");
        assertThat(inline.find(ep("r.example")).origin()).isEqualTo("$DOCKER_AUTH_CONFIG");
    }

    @Test
    void containersAuthFilesInOrderWithNamespaceKeys() throws IOException {
        Path home = tmp.resolve("home");
        write("run/containers/auth.json", """
                {"auths": {"r.example/team/app": {"auth": "%s"}, "docker.io": {"auth": "%s"}}}
                """.formatted(b64("runtime-app:1"), b64("hub:2")));
        write("home/.config/containers/auth.json", """
                {"auths": {"r.example": {"auth": "%s"}, "https://legacy.example/v1/": {"auth": "%s"}}}
                """.formatted(b64("config-home:3"), b64("legacy:4")));
        write("explicit.json", "{\"auths\": {\"r.example\": {\"auth\": \"" + b64("explicit:5") + "\"}}}");
        CredentialSource s = DockerConfigCredentials.containersAuthFiles(
                Map.of("XDG_RUNTIME_DIR", tmp.resolve("run").toString()), home);

        assertThat(s.find(ep("r.example", "team/app")).credentials().username()).isEqualTo("runtime-app");
        assertThat(s.find(ep("r.example", "team/app/sub")).credentials().username()).isEqualTo("runtime-app");
        assertThat(s.find(ep("r.example", "team/other")).credentials().username()).isEqualTo("config-home");
        assertThat(s.find(ep("r.example", "team/other")).origin())
                .isEqualTo(home.resolve(".config/containers/auth.json").toString());
        assertThat(s.find(ep("registry-1.docker.io", "library/alpine")).credentials().username()).isEqualTo("hub");
        assertThat(s.find(ep("legacy.example")).credentials().username()).isEqualTo("legacy");

        CredentialSource explicit = DockerConfigCredentials.containersAuthFiles(Map.of(
                "REGISTRY_AUTH_FILE", tmp.resolve("explicit.json").toString(),
                "XDG_RUNTIME_DIR", tmp.resolve("run").toString()), home);
        assertThat(explicit.find(ep("r.example", "team/app")).credentials().username()).isEqualTo("explicit");
        assertThat(explicit.find(ep("docker.io"))).as("REGISTRY_AUTH_FILE replaces the default files").isNull();
    }

    @Test
    void missingFilesAreSkippedAndNothingIsReadUntilNeeded() throws IOException {
        Path home = tmp.resolve("nohome");
        assertThat(CredentialSource.standard(Map.of(), home).find(ep("r.example"))).isNull();
        // constructing a source does not read the file: a broken file only matters when credentials are needed
        Path file = write("late/config.json", "not json");
        DockerConfigCredentials s = DockerConfigCredentials.dockerConfigFile(file, Map.of());
        Files.writeString(file, "{\"auths\": {\"r.example\": {\"auth\": \"" + b64("late:1") + "\"}}}");
        assertThat(creds(s, "r.example").username()).isEqualTo("late");
    }
}
