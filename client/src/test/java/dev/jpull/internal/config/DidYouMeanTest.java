package dev.jpull.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpull.ConfigException;
import dev.jpull.ConfigWarning;
import dev.jpull.ImageReference;
import dev.jpull.RegistriesConfig;
import dev.jpull.internal.resolve.EndpointResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every unknown key and invalid value: file:line:column and a "did you mean" (issue 12, point 4). */
class DidYouMeanTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void closestCandidates() {
        List<String> top = List.of("mirrors", "configs");
        assertThat(DidYouMean.closest("mirror", top)).isEqualTo("mirrors");
        assertThat(DidYouMean.closest("Mirrors", top)).isEqualTo("mirrors");
        assertThat(DidYouMean.closest("config", top)).isEqualTo("configs");
        assertThat(DidYouMean.closest("rewrit", List.of("endpoint", "rewrite"))).isEqualTo("rewrite");
        assertThat(DidYouMean.closest("tsl", List.of("auth", "tls"))).isEqualTo("tls");
        assertThat(DidYouMean.closest("htp", List.of("http", "https"))).isEqualTo("http");
        assertThat(DidYouMean.closest("pul", List.of("pull", "resolve", "push", "referrers"))).isEqualTo("pull");
        assertThat(DidYouMean.closest("banana", top)).isNull();
        assertThat(DidYouMean.closest("mirrors", top)).as("the word itself is not a suggestion").isNull();
    }

    @Test
    void unknownRegistriesYamlKeysAtEveryLevelSuggestTheClosestKey() throws Exception {
        Path file = write("registries.yaml", """
                mirror:
                  docker.io:
                    endpoint: [mirror.example.com]
                mirrors:
                  docker.io:
                    rewrit:
                      a: b
                configs:
                  mirror.example.com:
                    tsl:
                      ca_file: /x
                    auth:
                      usernme: u
                  other.example.com:
                    tls:
                      insecure_skip_verfy: true
                """);
        List<ConfigWarning> w = RegistriesConfig.load(file).warnings();
        assertThat(w).extracting(ConfigWarning::located).containsExactly(
                file + ":1:1: unknown key 'mirror' at the top level (K3s ignores it); did you mean 'mirrors'?",
                file + ":6:5: unknown key 'rewrit' in mirrors.\"docker.io\" (K3s ignores it); did you mean 'rewrite'?",
                file + ":10:5: unknown key 'tsl' in configs.\"mirror.example.com\" (K3s ignores it); did you mean "
                        + "'tls'?",
                file + ":13:7: unknown key 'usernme' in configs.\"mirror.example.com\".auth (K3s ignores it); did "
                        + "you mean 'username'?",
                file + ":16:7: unknown key 'insecure_skip_verfy' in configs.\"other.example.com\".tls (K3s ignores "
                        + "it); did you mean 'insecure_skip_verify'?");
    }

    @Test
    void invalidBooleansSayWhatWasMeant() throws Exception {
        Path quoted = write("q.yaml", "configs:\n  h:\n    tls:\n      insecure_skip_verify: \"true\"\n");
        assertThatThrownBy(() -> RegistriesConfig.load(quoted)).isInstanceOf(ConfigException.class)
                .hasMessage(quoted + ":4:29: configs.\"h\".tls.insecure_skip_verify must be true or false, not a "
                        + "string; did you mean true without quotes?");
        Path typo = write("t.yaml", "configs:\n  h:\n    tls:\n      insecure_skip_verify: ture\n");
        assertThatThrownBy(() -> RegistriesConfig.load(typo)).isInstanceOf(ConfigException.class)
                .hasMessage(typo + ":4:29: configs.\"h\".tls.insecure_skip_verify must be true or false, not a "
                        + "string; did you mean 'true'?");
    }

    @Test
    void unknownEndpointSchemeIsWarnedAtItsPositionWithASuggestion() throws Exception {
        Path file = write("registries.yaml", "mirrors:\n  docker.io:\n    endpoint:\n      - htp://mirror.example.com:5000\n");
        RegistriesConfig config = RegistriesConfig.load(file);
        EndpointResolver resolver = new EndpointResolver(config, false);
        var plan = resolver.resolve(ImageReference.parse("alpine"));
        assertThat(plan.warnings()).extracting(ConfigWarning::located).containsExactly(file + ":4:9: "
                + "mirrors.\"docker.io\": ignoring invalid endpoint \"htp://mirror.example.com:5000\": unsupported "
                + "scheme 'htp' (use http or https); did you mean 'http'?");
    }

    @Test
    void tomlValueErrorsHavePositionsAndSuggestions() throws Exception {
        Path file = write("hosts.toml", """
                server = "https://registry.example.com"

                [host."https://mirror.example.com"]
                  skip_verify = "true"
                """);
        assertThatThrownBy(() -> HostsFile.load(file)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ":4:3: host.\"https://mirror.example.com\".skip_verify must be true or false; "
                        + "did you mean true without quotes?");
        Path cri = write("config.toml", """
                version = 2
                [plugins."io.containerd.grpc.v1.cri".registry.configs."reg.example.com".tls]
                  insecure_skip_verify = "yes"
                """);
        assertThatThrownBy(() -> ContainerdConfig.load(cri)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(cri + ":3:3: ").hasMessageEndingWith(".tls.insecure_skip_verify must be "
                        + "true or false");
    }

    @Test
    void criConfigUnknownRegistryKeysHavePositionsAndSuggestions() throws Exception {
        Path file = write("config.toml", """
                version = 2
                [plugins."io.containerd.grpc.v1.cri".registry]
                  config_pth = "/etc/containerd/certs.d"
                [plugins."io.containerd.grpc.v1.cri".registry.configs."reg.example.com".auth]
                  usernme = "u"
                  identity_token = "t"
                """);
        List<ConfigWarning> w = ContainerdConfig.load(file).warnings();
        String cri = "plugins.\"io.containerd.grpc.v1.cri\".registry";
        assertThat(w).extracting(ConfigWarning::located).containsExactly(
                file + ":3:3: unknown key 'config_pth' in " + cri + " (containerd ignores it); did you mean "
                        + "'config_path'?",
                file + ":5:3: unknown key 'usernme' in " + cri + ".configs.\"reg.example.com\".auth (containerd "
                        + "ignores it); did you mean 'username'?",
                file + ":6:3: unknown key 'identity_token' in " + cri + ".configs.\"reg.example.com\".auth "
                        + "(containerd ignores it); did you mean 'identitytoken'?");
    }

    @Test
    void hostsTomlUnknownKeysAndCapabilitiesHavePositionsAndSuggestions() throws Exception {
        Path file = write("hosts.toml", """
                server = "https://registry.example.com"
                skip_verfy = true

                [host."https://mirror.example.com"]
                  capabilites = ["pull"]
                """);
        HostsFile hosts = HostsFile.load(file);
        assertThat(hosts.warnings()).extracting(ConfigWarning::located).containsExactly(
                file + ":2:1: unknown key 'skip_verfy' at the top level (containerd ignores it); did you mean "
                        + "'skip_verify'?",
                file + ":5:3: unknown key 'capabilites' in host.\"https://mirror.example.com\" (containerd ignores "
                        + "it); did you mean 'capabilities'?");
        Path bad = write("bad.toml", """
                [host."https://mirror.example.com"]
                  capabilities = ["pul", "resolve"]
                """);
        assertThatThrownBy(() -> HostsFile.load(bad)).isInstanceOf(ConfigException.class)
                .hasMessage(bad + ":2:3: host.\"https://mirror.example.com\".capabilities: unknown capability "
                        + "\"pul\" (expected pull, resolve, push or referrers); did you mean 'pull'?");
    }
}
