package dev.jpull.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpull.CredentialsException;
import dev.jpull.Endpoint;
import dev.jpull.RegistryConfig;
import dev.jpull.RegistryLogin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** login's auth.json writes: read back by the credential chain, other entries kept, 0600, helpers used. */
class AuthFileWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static Endpoint endpoint(String host) {
        return new Endpoint("https", host, "/v2", "team/app", null, RegistryConfig.EMPTY, null, true, null);
    }

    @Test
    void writesAnEntryTheChainReadsKeepingEverythingElseWithMode0600() throws IOException {
        Path file = tmp.resolve("new/containers/auth.json");
        RegistryLogin.store(file, "reg.example:5000", "u", "first", Map.of());
        Files.writeString(file, Files.readString(file).replaceFirst("\\{", "{\"other\": 1, "));
        RegistryLogin.store(file, "https://reg2.example/", "v", "second", Map.of());
        RegistryLogin.store(file, "reg.example:5000", "u", "third", Map.of());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        JsonNode root = JSON.readTree(file.toFile());
        assertThat(root.path("other").asInt()).isEqualTo(1);
        assertThat(root.path("auths").path("reg.example:5000").path("auth").asText())
                .isEqualTo(Base64.getEncoder().encodeToString("u:third".getBytes(StandardCharsets.UTF_8)));
        var chain = DockerConfigCredentials.authFile(file, Map.of());
        assertThat(chain.find(endpoint("reg.example:5000")).credentials().secret()).isEqualTo("third");
        assertThat(chain.find(endpoint("reg2.example")).credentials().username()).isEqualTo("v");
        try (var files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("auth.json");
        }

        assertThat(RegistryLogin.erase(file, "reg.example:5000", Map.of())).isNotNull();
        assertThat(RegistryLogin.erase(file, "reg.example:5000", Map.of())).as("already gone").isNull();
        root = JSON.readTree(file.toFile());
        assertThat(root.path("auths").has("reg.example:5000")).isFalse();
        assertThat(root.path("auths").has("reg2.example")).isTrue();
        assertThat(RegistryLogin.erase(tmp.resolve("missing.json"), "reg.example", Map.of())).isNull();
    }

    @Test
    void dockerHubIsStoredAsDockerIo() throws IOException {
        Path file = tmp.resolve("auth.json");
        RegistryLogin.store(file, "index.docker.io", "u", "p", Map.of());
        assertThat(JSON.readTree(file.toFile()).path("auths").has("docker.io")).isTrue();
    }

    @Test
    void aMalformedFileIsRefusedWithoutQuotingItAndLeftAlone() throws IOException {
        Path file = tmp.resolve("auth.json");
        Files.writeString(file, "{\"auths\": {\"x\": {\"auth\": \"secret-in-file\"");
        assertThatThrownBy(() -> RegistryLogin.store(file, "reg.example", "u", "p", Map.of()))
                .isInstanceOf(CredentialsException.class).hasMessageContaining(file.toString())
                .hasMessageNotContaining("secret-in-file");
        assertThat(Files.readString(file)).endsWith("\"secret-in-file\"");
    }

    @Test
    void aHelperNamedByCredsStoreGetsTheSecretOnStdinNotTheFile() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path log = tmp.resolve("log");
        Path helper = bin.resolve("docker-credential-fake");
        Files.writeString(helper, "#!/bin/sh\nin=$(cat)\necho \"$1 $in\" >> \"" + log + "\"\n"
                + "[ \"$1\" = erase ] && [ \"$in\" = gone.example ] && { echo 'credentials not found'; exit 1; }\n"
                + "exit 0\n");
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwx------"));
        Path file = tmp.resolve("auth.json");
        String original = "{\"credsStore\": \"fake\"}";
        Files.writeString(file, original);
        Map<String, String> env = Map.of("PATH", bin + ":/usr/bin:/bin");

        RegistryLogin.Stored s = RegistryLogin.store(file, "reg.example", "u", "helper-secret", env);
        assertThat(s.where()).isEqualTo("docker-credential-fake");
        assertThat(Files.readString(file)).isEqualTo(original);
        assertThat(RegistryLogin.erase(file, "reg.example", env)).isNotNull();
        assertThat(RegistryLogin.erase(file, "gone.example", env)).isNull();
        String calls = Files.readString(log);
        assertThat(calls).contains("store {\"ServerURL\":\"reg.example\",\"Username\":\"u\",\"Secret\":\"helper-secret\"}")
                .contains("erase reg.example");
    }

    @Test
    void getLoginReadsTheUserFromTheFileOrItsHelperAndWritesNothing() throws IOException {
        Path file = tmp.resolve("auth.json");
        RegistryLogin.store(file, "reg.example:5000", "alice", "pw-1", Map.of());
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path log = tmp.resolve("helper.log");
        HelperCredentialsTest.helper(bin, "kept", HelperCredentialsTest.answer("bob", "pw-2"));
        Files.writeString(file, Files.readString(file).replaceFirst("\\{", "{\"credHelpers\": {\"helped.example\": "
                + "\"kept\"}, "));
        Map<String, String> env = Map.of("PATH", bin + ":/usr/bin:/bin", "HELPER_LOG", log.toString());
        String before = Files.readString(file);

        assertThat(RegistryLogin.username(file, "reg.example:5000", env)).isEqualTo("alice");
        assertThat(RegistryLogin.username(file, "helped.example", env)).isEqualTo("bob");
        assertThat(RegistryLogin.username(file, "other.example", env)).isNull();
        assertThat(RegistryLogin.username(tmp.resolve("missing.json"), "reg.example:5000", env)).isNull();
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void eraseAllEmptiesTheFileAndEveryHelperButKeepsTheHelperSettings() throws IOException {
        Path file = tmp.resolve("auth.json");
        RegistryLogin.store(file, "a.example", "u", "pw-a", Map.of());
        RegistryLogin.store(file, "b.example:5000", "u", "pw-b", Map.of());
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path log = tmp.resolve("helper.log");
        HelperCredentialsTest.helper(bin, "per", "exit 0");
        HelperCredentialsTest.helper(bin, "store", "if [ \"$1\" = list ]; then printf '%s' "
                + "'{\"https://index.docker.io/v1/\":\"u\",\"c.example\":\"v\"}'; fi");
        Files.writeString(file, Files.readString(file).replaceFirst("\\{", "{\"credsStore\": \"store\", "
                + "\"credHelpers\": {\"d.example\": \"per\"}, \"other\": 1, "));
        Map<String, String> env = Map.of("PATH", bin + ":/usr/bin:/bin", "HELPER_LOG", log.toString());

        assertThat(RegistryLogin.eraseAll(file, env)).containsExactly("d.example", "https://index.docker.io/v1/",
                "c.example", "a.example", "b.example:5000");

        JsonNode root = JSON.readTree(file.toFile());
        assertThat(root.path("auths").size()).isZero();
        assertThat(root.path("credsStore").asText()).isEqualTo("store");
        assertThat(root.path("credHelpers").path("d.example").asText()).isEqualTo("per");
        assertThat(root.path("other").asInt()).isEqualTo(1);
        assertThat(Files.readString(file)).doesNotContain("pw-a").doesNotContain("pw-b");
        assertThat(Files.readAllLines(log)).containsExactly("erase d.example", "list ",
                "erase https://index.docker.io/v1/", "erase c.example");
        assertThat(RegistryLogin.eraseAll(file, env)).as("nothing left in the file; the helpers answer again")
                .doesNotContain("a.example", "b.example:5000");
    }
}
