package dev.jpull.internal.resolve;

import dev.jpull.Endpoint;
import dev.jpull.EndpointPlan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpull.ConfigException;
import dev.jpull.ConfigWarning;
import dev.jpull.internal.config.ContainerdConfig;
import dev.jpull.ImageReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** containerd config.toml CRI registry.mirrors / configs (both plugin spellings) and config_path. */
class CriMirrorResolverTest {
    private static final String V2 = "version = 2\n";
    private static final String P2 = "plugins.\"io.containerd.grpc.v1.cri\".registry";

    @TempDir
    Path dir;

    private ContainerdConfig config(String toml) throws IOException {
        Path file = dir.resolve("config.toml");
        Files.writeString(file, toml);
        return ContainerdConfig.load(file);
    }

    private static EndpointPlan resolve(ContainerdConfig c, String image) {
        return new CriMirrorResolver(c).resolve(ImageReference.parse(image));
    }

    private static List<String> urls(EndpointPlan plan) {
        return plan.endpoints().stream().map(Endpoint::baseUrl).toList();
    }

    @Test
    void invalidEndpointsAreSkippedWithFileLineAndColumn() throws IOException {
        // issue 8 point 7 for the CRI mirrors: skipped with a warning at the string, never an internal error
        ContainerdConfig c = config(V2 + """
                [%1$s.mirrors."quay.io"]
                  endpoint = ["http://127.0.0.1:99999"]
                [%1$s.mirrors."docker.io"]
                  endpoint = [
                    "http://127.0.0.1 :5700",
                    "http://u:pw@127.0.0.1:99999",
                    "https://mirror.example.com",
                  ]
                """.formatted(P2));
        CriMirrorResolver r = new CriMirrorResolver(c);
        EndpointPlan plan = r.resolve(ImageReference.parse("alpine"));
        assertThat(urls(plan)).containsExactly("https://mirror.example.com/v2", "https://registry-1.docker.io/v2");
        Path f = c.source();
        assertThat(plan.warnings()).extracting(ConfigWarning::located).containsExactly(
                f + ":6:5: mirrors.\"docker.io\": ignoring invalid endpoint \"http://127.0.0.1 :5700\": invalid"
                        + " character ' ' in host name (containerd cannot use it either)",
                f + ":7:5: mirrors.\"docker.io\": ignoring invalid endpoint \"http://<user info>@127.0.0.1:99999\":"
                        + " invalid port 99999 (a port is 1-65535; nothing can connect to it) (containerd cannot use"
                        + " it either)");
    }

    @Test
    void versionTwoSpellingMirrorsThenDefault() throws IOException {
        ContainerdConfig c = config(V2 + """
                [%1$s.mirrors."docker.io"]
                  endpoint = ["https://mirror.example.com", "https://registry-1.docker.io"]
                [%1$s.mirrors."*"]
                  endpoint = ["https://catchall.example.com"]
                """.formatted(P2));
        assertThat(c.version()).isEqualTo(2);
        assertThat(c.warnings()).isEmpty();
        // the default is compared with the namespace "docker.io", so Docker Hub is listed and appended again
        EndpointPlan hub = resolve(c, "alpine");
        assertThat(urls(hub)).containsExactly("https://mirror.example.com/v2", "https://registry-1.docker.io/v2",
                "https://registry-1.docker.io/v2");
        assertThat(hub.endpoints()).extracting(Endpoint::isDefault).containsExactly(false, false, true);
        assertThat(hub.endpoints()).extracting(Endpoint::namespace).containsExactly("docker.io", null, null);
        EndpointPlan quay = resolve(c, "quay.io/a/b:1");
        assertThat(urls(quay)).containsExactly("https://catchall.example.com/v2", "https://quay.io/v2");
        assertThat(quay.endpoints().get(0).mirrorName()).isEqualTo("*");
    }

    @Test
    void versionOneSpelling() throws IOException {
        ContainerdConfig c = config("""
                [plugins.cri.registry.mirrors."docker.io"]
                  endpoint = ["mirror.example.com:5000"]
                """);
        assertThat(c.version()).isEqualTo(1);
        assertThat(urls(resolve(c, "alpine"))).containsExactly("https://mirror.example.com:5000/v2",
                "https://registry-1.docker.io/v2");
    }

    @Test
    void theSpellingOfTheOtherVersionIsIgnoredWithAWarning() throws IOException {
        ContainerdConfig c = config(V2 + """
                [plugins.cri.registry.mirrors."docker.io"]
                  endpoint = ["https://mirror.example.com"]
                """);
        assertThat(c.mirrors()).isEmpty();
        assertThat(c.warnings()).extracting(ConfigWarning::message).containsExactly(
                "plugins.cri.registry is ignored: a version 2 config uses plugins.\"io.containerd.grpc.v1.cri\"");
        assertThat(urls(resolve(c, "alpine"))).containsExactly("https://registry-1.docker.io/v2");
    }

    @Test
    void anExactKeyWinsOverTheWildcardEvenWhenEmpty() throws IOException {
        ContainerdConfig c = config(V2 + """
                [%1$s.mirrors."quay.io"]
                  endpoint = []
                [%1$s.mirrors."*"]
                  endpoint = ["https://catchall.example.com"]
                """.formatted(P2));
        assertThat(urls(resolve(c, "quay.io/a/b:1"))).containsExactly("https://quay.io/v2");
    }

    @Test
    void noDefaultWhenAnEndpointHostIsTheRegistry() throws IOException {
        ContainerdConfig c = config(V2 + """
                [%1$s.mirrors."reg.example.com"]
                  endpoint = ["https://reg.example.com/mirror", "https://mirror.example.com"]
                [%1$s.mirrors."localhost:5000"]
                  endpoint = ["localhost:5001"]
                """.formatted(P2));
        EndpointPlan plan = resolve(c, "reg.example.com/a:1");
        assertThat(urls(plan)).containsExactly("https://reg.example.com/mirror", "https://mirror.example.com/v2");
        assertThat(plan.endpoints()).extracting(Endpoint::namespace).containsExactly(null, "reg.example.com");
        // schemeless loopback endpoints get http; so does the default of a localhost registry
        assertThat(urls(resolve(c, "localhost:5000/a:1"))).containsExactly("http://localhost:5001/v2",
                "http://localhost:5000/v2");
    }

    @Test
    void pathRules() throws IOException {
        ContainerdConfig c = config(V2 + """
                [%1$s.mirrors."docker.io"]
                  endpoint = ["https://m1.example.com", "https://m2.example.com/", "https://m3.example.com/mirror",
                              "https://m4.example.com/prefix/v2/", "http://m5.example.com/v2"]
                """.formatted(P2));
        EndpointPlan plan = resolve(c, "alpine");
        assertThat(urls(plan)).containsExactly("https://m1.example.com/v2", "https://m2.example.com",
                "https://m3.example.com/mirror", "https://m4.example.com/prefix/v2", "http://m5.example.com/v2",
                "https://registry-1.docker.io/v2");
        assertThat(plan.endpoints().get(1).url("manifests", "latest"))
                .isEqualTo("https://m2.example.com/library/alpine/manifests/latest?ns=docker.io");
    }

    @Test
    void configsAreKeyedByEndpointHost() throws IOException {
        ContainerdConfig c = config(V2 + """
                [%1$s.mirrors."docker.io"]
                  endpoint = ["https://mirror.example.com:5000"]
                [%1$s.configs."mirror.example.com:5000".auth]
                  username = "user"
                  password = "secret"
                [%1$s.configs."mirror.example.com:5000".tls]
                  ca_file = "/etc/ca.pem"
                  insecure_skip_verify = true
                [%1$s.configs."docker.io".auth]
                  auth = "dXNlcjpwYXNz"
                [%1$s.configs."registry-1.docker.io".auth]
                  identitytoken = "idtok-value"
                [%1$s.auths."https://other.example.com"]
                  username = "o"
                """.formatted(P2));
        EndpointPlan plan = resolve(c, "alpine");
        assertThat(plan.endpoints()).extracting(Endpoint::credentialsKind).containsExactly("basic", "identity-token");
        assertThat(plan.endpoints()).extracting(Endpoint::configKey)
                .containsExactly("mirror.example.com:5000", "registry-1.docker.io");
        assertThat(plan.endpoints().get(0).tlsMode()).isEqualTo("https insecure-skip-verify ca=/etc/ca.pem");
        assertThat(c.configs().get("other.example.com").auth().username()).isEqualTo("o");
        assertThat(c.configs().toString()).doesNotContain("secret", "idtok-value", "dXNlcjpwYXNz");
    }

    @Test
    void configPathUsesTheHostsDirectoryWithConfigsAuth() throws IOException {
        Path certs = Files.createDirectories(dir.resolve("certs.d/docker.io"));
        Files.writeString(certs.resolve("hosts.toml"), """
                server = "https://registry-1.docker.io"
                [host."https://mirror.example.com"]
                  capabilities = ["pull", "resolve"]
                """);
        ContainerdConfig c = config(V2 + """
                [%1$s]
                  config_path = "%2$s"
                [%1$s.configs."mirror.example.com".auth]
                  username = "user"
                  password = "secret"
                """.formatted(P2, dir.resolve("certs.d")));
        EndpointPlan plan = resolve(c, "alpine");
        assertThat(urls(plan)).containsExactly("https://mirror.example.com/v2", "https://registry-1.docker.io/v2");
        assertThat(plan.endpoints()).extracting(Endpoint::credentialsKind).containsExactly("basic", "none");
    }

    @Test
    void mirrorsOrTlsNextToConfigPathAreErrors() throws IOException {
        assertThatThrownBy(() -> config(V2 + """
                [%1$s]
                  config_path = "/etc/containerd/certs.d"
                [%1$s.mirrors."docker.io"]
                  endpoint = ["https://mirror.example.com"]
                """.formatted(P2))).isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("`mirrors` cannot be set when `config_path` is provided");
        assertThatThrownBy(() -> config(V2 + """
                [%1$s]
                  config_path = "/etc/containerd/certs.d"
                [%1$s.configs."m.example.com".tls]
                  insecure_skip_verify = true
                """.formatted(P2))).isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("`configs.tls` cannot be set when `config_path` is provided");
    }

    @Test
    void malformedTomlIsAnErrorWithPosition() {
        assertThatThrownBy(() -> config(V2 + "[" + P2 + ".mirrors.\"docker.io\"\n  endpoint = [\"x\"]\n"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> {
                    ConfigException ce = (ConfigException) e;
                    assertThat(ce.file()).isEqualTo(dir.resolve("config.toml"));
                    assertThat(ce.line()).isEqualTo(2);
                    assertThat(ce.getMessage()).contains("invalid TOML");
                });
        assertThatThrownBy(() -> config("version = 7\n")).isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("version must be 1, 2 or 3");
        assertThatThrownBy(() -> config(V2 + "[" + P2 + ".mirrors.\"docker.io\"]\n  endpoint = 5\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageEndingWith(".mirrors.\"docker.io\".endpoint must be a string or an array of strings");
    }
}
