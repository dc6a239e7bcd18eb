package dev.jpull.internal.auth;

import dev.jpull.spi.CredentialSource;
import dev.jpull.spi.Credentials;

import static dev.jpull.internal.auth.DockerConfigCredentialsTest.SECRET;
import static dev.jpull.internal.auth.DockerConfigCredentialsTest.b64;
import static dev.jpull.internal.auth.DockerConfigCredentialsTest.ep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpull.CredentialsException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The docker-credential-helper protocol against real helper scripts on an injected PATH. */
class HelperCredentialsTest {
    @TempDir
    Path tmp;
    private Path bin;
    private Path log;
    private Map<String, String> env;

    @BeforeEach
    void setUp() throws IOException {
        bin = Files.createDirectories(tmp.resolve("bin"));
        log = tmp.resolve("helper.log");
        env = Map.of("PATH", tmp.resolve("empty") + ":" + bin + ":/usr/bin:/bin", "HELPER_LOG", log.toString());
    }

    /** Writes {@code docker-credential-<name>}: logs "action key" to $HELPER_LOG, then runs {@code body}. */
    static Path helper(Path bin, String name, String body) throws IOException {
        Path p = bin.resolve("docker-credential-" + name);
        Files.writeString(p, "#!/bin/sh\nkey=$(cat)\necho \"$1 $key\" >> \"$HELPER_LOG\"\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    static String answer(String user, String secret) {
        return "printf '%s' '{\"ServerURL\":\"'\"$key\"'\",\"Username\":\"" + user + "\",\"Secret\":\"" + secret + "\"}'";
    }

    private List<String> calls() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Test
    void getProtocolWithTheKeyOnStdin() throws IOException {
        helper(bin, "test", answer("alice", SECRET));
        HelperCredentials h = new HelperCredentials("test", env);

        assertThat(h.get("reg.example:5000")).isEqualTo(new Credentials("alice", SECRET, null));
        assertThat(h.find(ep("registry-1.docker.io"))).isEqualTo(
                new CredentialSource.Found(new Credentials("alice", SECRET, null), "docker-credential-test"));
        assertThat(h.get("reg.example:5000")).isNotNull();

        assertThat(calls()).containsExactly("get reg.example:5000", "get https://index.docker.io/v1/");
    }

    @Test
    void tokenUsernameMeansIdentityToken() throws IOException {
        helper(bin, "tok", answer("<token>", "refresh-" + SECRET));
        assertThat(new HelperCredentials("tok", env).get("r.example"))
                .isEqualTo(new Credentials(null, null, "refresh-" + SECRET));
    }

    @Test
    void credentialsNotFoundIsAnonymous() throws IOException {
        helper(bin, "none", "echo 'credentials not found in native keychain'; exit 1");
        helper(bin, "blank", answer("", ""));
        assertThat(new HelperCredentials("none", env).get("r.example")).isNull();
        assertThat(new HelperCredentials("blank", env).get("r.example")).isNull();
    }

    @Test
    void failuresNameTheHelperAndNeverTheOutputSecret() throws IOException {
        helper(bin, "broken", "echo 'keychain is locked' >&2; exit 3");
        helper(bin, "garbage", "echo 'Secret: " + SECRET + " (not json'");
        helper(bin, "wrongtype", "echo '{\"Username\": [\"" + SECRET + "\"], \"Secret\": 1}'");

        assertThatThrownBy(() -> new HelperCredentials("broken", env).get("r.example"))
                .isInstanceOf(CredentialsException.class)
                .hasMessageContaining("docker-credential-broken")
                .hasMessageContaining("r.example")
                .hasMessageContaining("exit 3")
                .hasMessageContaining("keychain is locked");
        for (String name : new String[] {"garbage", "wrongtype"}) {
            assertThatThrownBy(() -> new HelperCredentials(name, env).get("r.example"))
                    .isInstanceOf(CredentialsException.class)
                    .hasMessageContaining("docker-credential-" + name)
                    .hasMessageContaining("malformed")
                    .hasMessageNotContaining(SECRET);
        }
        assertThatThrownBy(() -> new HelperCredentials("missing", env).get("r.example"))
                .isInstanceOf(CredentialsException.class)
                .hasMessage("credential helper docker-credential-missing not found on PATH");
        assertThatThrownBy(() -> new HelperCredentials("../bin/x", env).get("r.example"))
                .isInstanceOf(CredentialsException.class).hasMessageContaining("invalid credential helper name");
    }

    @Test
    void aHangingHelperIsKilledAtTheTimeout() throws IOException {
        helper(bin, "hang", "exec sleep 60");
        HelperCredentials h = new HelperCredentials("hang", env, Duration.ofMillis(300));
        long start = System.nanoTime();

        assertThatThrownBy(() -> h.get("r.example"))
                .isInstanceOf(CredentialsException.class)
                .hasMessageContaining("docker-credential-hang did not answer for r.example");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        // the failure is remembered: the helper is not run again for every request
        assertThatThrownBy(() -> h.get("r.example")).isInstanceOf(CredentialsException.class);
        assertThat(calls()).containsExactly("get r.example");
    }

    @Test
    void configRoutesToCredHelpersAndCredsStore() throws IOException {
        helper(bin, "store", answer("from-store", SECRET));
        helper(bin, "special", answer("from-special", SECRET));
        helper(bin, "hub", answer("from-hub", SECRET));
        Path config = tmp.resolve("config.json");
        Files.writeString(config, """
                {"credsStore": "store",
                 "credHelpers": {"special.example": "special", "https://index.docker.io/v1/": "hub"},
                 "auths": {"file.example": {"auth": "%s"}}}
                """.formatted(b64("from-file:pw")));
        DockerConfigCredentials s = DockerConfigCredentials.dockerConfigFile(config, env);

        assertThat(s.find(ep("special.example")).credentials().username()).isEqualTo("from-special");
        assertThat(s.find(ep("special.example")).origin()).isEqualTo("docker-credential-special (" + config + ")");
        assertThat(s.find(ep("docker.io")).credentials().username()).isEqualTo("from-hub");
        assertThat(s.find(ep("other.example")).credentials().username()).isEqualTo("from-store");
        // with a credsStore the helper answers for every key, as in the Docker CLI (file auths are not used)
        assertThat(s.find(ep("file.example")).credentials().username()).isEqualTo("from-store");

        assertThat(calls()).containsExactly("get special.example", "get https://index.docker.io/v1/",
                "get other.example", "get file.example");
    }

    @Test
    void helperSaysNotFoundMeansAnonymousEvenWithAFileEntry() throws IOException {
        helper(bin, "empty", "echo 'credentials not found in native keychain'; exit 1");
        Path config = tmp.resolve("config.json");
        Files.writeString(config, """
                {"credHelpers": {"r.example": "empty"}, "auths": {"r.example": {"auth": "%s"}}}
                """.formatted(b64("file:pw")));
        assertThat(DockerConfigCredentials.dockerConfigFile(config, env).find(ep("r.example"))).isNull();
    }

    @Test
    void brokenHelperInConfigIsAUsageErrorNamingIt() throws IOException {
        helper(bin, "bad", "echo 'boom'; exit 1");
        Path config = tmp.resolve("config.json");
        Files.writeString(config, "{\"credsStore\": \"bad\"}");
        assertThatThrownBy(() -> DockerConfigCredentials.dockerConfigFile(config, env).find(ep("r.example")))
                .isInstanceOf(CredentialsException.class)
                .hasMessage("credential helper docker-credential-bad failed for r.example (exit 1): boom");
    }
}
