package dev.jpull.internal.resolve;

import dev.jpull.Endpoint;
import dev.jpull.EndpointPlan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpull.ConfigException;
import dev.jpull.ConfigWarning;
import dev.jpull.internal.config.HostsDir;
import dev.jpull.ImageReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** containerd hosts.toml directories: lookup, file order, URL rules, capabilities, TLS. */
class HostsDirResolverTest {
    private static final String DIGEST = "sha256:" + "a".repeat(64);

    @TempDir
    Path root;

    private Path hosts(String dirName, String toml) throws IOException {
        return hosts(root, dirName, toml);
    }

    private static Path hosts(Path root, String dirName, String toml) throws IOException {
        Path dir = Files.createDirectories(root.resolve(dirName));
        Files.writeString(dir.resolve("hosts.toml"), toml);
        return dir;
    }

    private EndpointPlan resolve(String image) {
        return new HostsDirResolver(HostsDir.of(root)).resolve(ImageReference.parse(image));
    }

    private static List<String> urls(EndpointPlan plan) {
        return plan.endpoints().stream().map(Endpoint::baseUrl).toList();
    }

    @Test
    void hostsAreTriedInFileOrderThenTheServerLast() throws IOException {
        hosts("docker.io", """
                server = "https://registry-1.docker.io"
                [host."https://zeta.example.com"]
                  capabilities = ["pull", "resolve"]
                [host."https://alpha.example.com"]
                  capabilities = ["pull", "resolve"]
                  [host."https://alpha.example.com".header]
                    x-a = "1"
                [host."https://mid.example.com:5000"]
                  capabilities = ["pull", "resolve"]
                """);
        EndpointPlan plan = resolve("alpine:3.20");
        assertThat(urls(plan)).containsExactly("https://zeta.example.com/v2", "https://alpha.example.com/v2",
                "https://mid.example.com:5000/v2", "https://registry-1.docker.io/v2");
        assertThat(plan.endpoints()).extracting(Endpoint::namespace)
                .containsExactly("docker.io", "docker.io", "docker.io", null);
        assertThat(plan.endpoints()).extracting(Endpoint::isDefault).containsExactly(false, false, false, true);
        assertThat(plan.endpoints()).extracting(Endpoint::mirrorName).containsOnly("docker.io");
        assertThat(plan.endpoints().get(0).url("manifests", "3.20"))
                .isEqualTo("https://zeta.example.com/v2/library/alpine/manifests/3.20?ns=docker.io");
    }

    @Test
    void withoutServerTheNamespaceItselfIsAppended() throws IOException {
        hosts("docker.io", """
                [host."https://mirror.example.com"]
                """);
        hosts("localhost:5000", """
                [host."https://mirror.example.com"]
                """);
        hosts("reg.example.com", """
                skip_verify = true
                [host."https://mirror.example.com"]
                """);
        assertThat(urls(resolve("alpine"))).containsExactly("https://mirror.example.com/v2",
                "https://registry-1.docker.io/v2");
        EndpointPlan local = resolve("localhost:5000/app:1");
        assertThat(urls(local)).containsExactly("https://mirror.example.com/v2", "http://localhost:5000/v2");
        assertThat(local.endpoints().get(1).isDefault()).isTrue();
        EndpointPlan other = resolve("reg.example.com/app:1");
        assertThat(urls(other)).containsExactly("https://mirror.example.com/v2", "https://reg.example.com/v2");
        assertThat(other.endpoints().get(1).tlsMode()).isEqualTo("https insecure-skip-verify");
        assertThat(other.endpoints().get(0).tlsMode()).isEqualTo("https");
    }

    @Test
    void defaultDirectoryServesRegistriesWithoutTheirOwn() throws IOException {
        hosts("_default", """
                [host."https://catchall.example.com"]
                  capabilities = ["pull", "resolve"]
                """);
        EndpointPlan plan = resolve("quay.io/team/app:1");
        assertThat(urls(plan)).containsExactly("https://catchall.example.com/v2", "https://quay.io/v2");
        assertThat(plan.endpoints().get(0).namespace()).isEqualTo("quay.io");
        assertThat(plan.endpoints().get(0).mirrorName()).isEqualTo("_default");
    }

    @Test
    void noDirectoryMeansTheRegistryAlone() {
        EndpointPlan plan = resolve("127.0.0.1:5000/app:1");
        assertThat(urls(plan)).containsExactly("http://127.0.0.1:5000/v2");
        assertThat(plan.endpoints().get(0).mirrorName()).isNull();
    }

    @Test
    void portDirectoryFormIsLookedUpBeforeTheColonForm() throws IOException {
        hosts("reg.example.com:5000", "[host.\"https://colon.example.com\"]\n");
        hosts("_default", "[host.\"https://default.example.com\"]\n");
        assertThat(urls(resolve("reg.example.com:5000/app:1")).get(0)).isEqualTo("https://colon.example.com/v2");
        hosts("reg.example.com_5000_", "[host.\"https://underscore.example.com\"]\n");
        assertThat(urls(resolve("reg.example.com:5000/app:1")))
                .containsExactly("https://underscore.example.com/v2", "https://reg.example.com:5000/v2");
        assertThat(HostsDir.candidates("reg.example.com:5000"))
                .containsExactly("reg.example.com_5000_", "reg.example.com:5000", "_default");
        assertThat(HostsDir.candidates("docker.io")).containsExactly("docker.io", "_default");
    }

    @Test
    void anEarlierRootsDefaultBeatsALaterRootsExactDirectory(@TempDir Path second) throws IOException {
        hosts("_default", "[host.\"https://first-default.example.com\"]\n");
        hosts(second, "quay.io", "[host.\"https://exact.example.com\"]\n");
        EndpointPlan plan = new HostsDirResolver(HostsDir.parse(root + ":" + second))
                .resolve(ImageReference.parse("quay.io/a/b:1"));
        assertThat(urls(plan).get(0)).isEqualTo("https://first-default.example.com/v2");
    }

    @Test
    void pathRules() throws IOException {
        hosts("docker.io", """
                server = "https://registry-1.docker.io"
                [host."https://m1.example.com/us"]
                [host."https://m2.example.com/v2/upstream"]
                [host."https://m3.example.com/v2/upstream"]
                  override_path = true
                [host."https://m4.example.com"]
                  override_path = true
                [host."m5.example.com:5000"]
                [host."http://m6.example.com/prefix/v2/"]
                [host."https://m7.example.com/"]
                """);
        EndpointPlan plan = resolve("alpine");
        assertThat(urls(plan)).containsExactly(
                "https://m1.example.com/us/v2",
                "https://m2.example.com/v2/upstream/v2",
                "https://m3.example.com/v2/upstream",
                "https://m4.example.com",
                "https://m5.example.com:5000/v2",
                "http://m6.example.com/prefix/v2",
                "https://m7.example.com/v2",
                "https://registry-1.docker.io/v2");
        assertThat(plan.endpoints().get(3).url("manifests", "latest"))
                .isEqualTo("https://m4.example.com/library/alpine/manifests/latest?ns=docker.io");
    }

    @Test
    void tagsNeedPullAndResolveDigestsOnlyPull() throws IOException {
        hosts("docker.io", """
                server = "https://registry-1.docker.io"
                capabilities = ["pull", "resolve"]
                [host."https://pull-only.example.com"]
                  capabilities = ["pull"]
                [host."https://push-only.example.com"]
                  capabilities = ["push"]
                [host."https://both.example.com"]
                  capabilities = ["PULL", "Resolve"]
                [host."https://all.example.com"]
                """);
        assertThat(urls(resolve("alpine:1"))).containsExactly("https://both.example.com/v2",
                "https://all.example.com/v2", "https://registry-1.docker.io/v2");
        assertThat(urls(resolve("alpine@" + DIGEST))).containsExactly("https://pull-only.example.com/v2",
                "https://both.example.com/v2", "https://all.example.com/v2", "https://registry-1.docker.io/v2");
    }

    @Test
    void serverWithoutPullIsLeftOut() throws IOException {
        hosts("docker.io", """
                server = "https://registry-1.docker.io"
                capabilities = ["push"]
                [host."https://mirror.example.com"]
                """);
        assertThat(urls(resolve("alpine"))).containsExactly("https://mirror.example.com/v2");
    }

    @Test
    void serverElsewhereGetsTheNamespace() throws IOException {
        hosts("docker.io", "server = \"https://only-mirror.example.com\"\n[host]\n");
        EndpointPlan plan = resolve("alpine");
        assertThat(urls(plan)).containsExactly("https://only-mirror.example.com/v2");
        assertThat(plan.endpoints().get(0).namespace()).isEqualTo("docker.io");
        assertThat(plan.endpoints().get(0).isDefault()).isTrue();
    }

    @Test
    void tlsFilesAreRelativeToTheHostsTomlDirectory() throws IOException {
        Path dir = hosts("reg.example.com", """
                server = "https://reg.example.com"
                ca = "root-ca.pem"
                [host."https://mirror.example.com"]
                  ca = ["a.pem", "/abs/b.pem"]
                  client = [["client.cert", "client.key"]]
                  skip_verify = true
                [host."https://m2.example.com"]
                  client = "both.pem"
                """);
        HostsDirResolver r = new HostsDirResolver(HostsDir.of(root));
        EndpointPlan plan = r.resolve(ImageReference.parse("reg.example.com/app:1"));
        var mirror = plan.endpoints().get(0).config().tls();
        assertThat(mirror.caFile()).isEqualTo(dir.resolve("a.pem"));
        assertThat(mirror.certFile()).isEqualTo(dir.resolve("client.cert"));
        assertThat(mirror.keyFile()).isEqualTo(dir.resolve("client.key"));
        assertThat(mirror.insecureSkipVerify()).isTrue();
        var both = plan.endpoints().get(1).config().tls();
        assertThat(both.certFile()).isEqualTo(dir.resolve("both.pem")).isEqualTo(both.keyFile());
        assertThat(plan.endpoints().get(2).config().tls().caFile()).isEqualTo(dir.resolve("root-ca.pem"));
        assertThat(plan.warnings()).extracting(ConfigWarning::message)
                .containsExactly("host.\"https://mirror.example.com\".ca: jpull uses only the first CA file ("
                        + dir.resolve("a.pem") + ")");
    }

    @Test
    void dockerCertsLayoutWithoutHostsToml() throws IOException {
        Path dir = Files.createDirectories(root.resolve("reg.example.com:5000"));
        Files.writeString(dir.resolve("ca.crt"), "x");
        Files.writeString(dir.resolve("client.cert"), "x");
        Files.writeString(dir.resolve("client.key"), "x");
        Files.writeString(dir.resolve("hosts.toml"), "");
        EndpointPlan plan = resolve("reg.example.com:5000/app:1");
        assertThat(urls(plan)).containsExactly("https://reg.example.com:5000/v2");
        var tls = plan.endpoints().get(0).config().tls();
        assertThat(tls.caFile()).isEqualTo(dir.resolve("ca.crt"));
        assertThat(tls.certFile()).isEqualTo(dir.resolve("client.cert"));
        assertThat(tls.keyFile()).isEqualTo(dir.resolve("client.key"));
    }

    @Test
    void headersAndUnknownKeysAreWarnedAbout() throws IOException {
        Path dir = hosts("docker.io", """
                [host."https://mirror.example.com"]
                  plain_http = true
                  [host."https://mirror.example.com".header]
                    x-token = ["a", "b"]
                """);
        HostsDirResolver r = new HostsDirResolver(HostsDir.of(root));
        EndpointPlan plan = r.resolve(ImageReference.parse("alpine"));
        assertThat(plan.warnings()).extracting(ConfigWarning::file).containsOnly(dir.resolve("hosts.toml"));
        assertThat(plan.warnings()).extracting(ConfigWarning::message).containsExactly(
                "unknown key 'plain_http' in host.\"https://mirror.example.com\" (containerd ignores it)",
                "host.\"https://mirror.example.com\".header: jpull does not send extra request headers; ignored");
    }

    @Test
    void rewritesOfTheK3sForkAreApplied() throws IOException {
        hosts("docker.io", """
                [host."https://mirror.example.com"]
                  [host."https://mirror.example.com".rewrite]
                    "^rancher/(.*)" = "mirrorproject/rancher-images/$1"
                """);
        assertThat(resolve("rancher/pause:3.6").endpoints()).extracting(Endpoint::repository)
                .containsExactly("mirrorproject/rancher-images/pause", "rancher/pause");
    }

    @Test
    void invalidHostKeysAndServerAreSkippedWithFileLineAndColumn() throws IOException {
        // issue 8 point 7 for hosts.toml: a bad [host."..."] key or server is skipped with its position
        Path file = hosts("docker.io", """
                server = "https://registry-1.docker.io:0"

                [host."http://127.0.0.1 :5700"]
                  capabilities = ["pull", "resolve"]
                [host.'http://127.0.0.1:99999']
                [host."https://mirror.example.com"]
                """).resolve("hosts.toml");
        HostsDirResolver r = new HostsDirResolver(HostsDir.of(root));
        EndpointPlan plan = r.resolve(ImageReference.parse("alpine"));
        assertThat(plan.endpoints()).extracting(Endpoint::baseUrl).containsExactly("https://mirror.example.com/v2");
        assertThat(plan.warnings()).extracting(ConfigWarning::located).containsExactly(
                file + ":3:7: ignoring host.\"http://127.0.0.1 :5700\": invalid character ' ' in host name"
                        + " (containerd cannot use it either)",
                file + ":5:7: ignoring host.\"http://127.0.0.1:99999\": invalid port 99999 (a port is 1-65535;"
                        + " nothing can connect to it) (containerd cannot use it either)",
                file + ":1:10: ignoring server \"https://registry-1.docker.io:0\": invalid port 0 (a port is"
                        + " 1-65535; nothing can connect to it) (containerd cannot use it either)");
    }

    @Test
    void malformedFilesAreErrorsWithPosition() throws IOException {
        Path dir = hosts("docker.io", """
                server = "https://registry-1.docker.io"
                [host."https://a.example.com"]
                [host."https://a.example.com"]
                """);
        assertThatThrownBy(() -> resolve("alpine")).isInstanceOf(ConfigException.class)
                .satisfies(e -> {
                    ConfigException ce = (ConfigException) e;
                    assertThat(ce.file()).isEqualTo(dir.resolve("hosts.toml"));
                    assertThat(ce.line()).isEqualTo(3);
                })
                .hasMessageContaining("invalid TOML");
        hosts("docker.io", "[host.\"https://a.example.com\"]\n  capabilities = [\"pull\", \"fetch\"]\n");
        assertThatThrownBy(() -> resolve("alpine")).isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("host.\"https://a.example.com\".capabilities: unknown capability \"fetch\" "
                        + "(expected pull, resolve, push or referrers)");
        hosts("docker.io", "skip_verify = \"yes\"\n");
        assertThatThrownBy(() -> resolve("alpine")).isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("skip_verify must be true or false");
        // an unusable host URL is skipped with a warning at its position (containerd cannot use it either)
        Path hostsToml = hosts("docker.io", "[host.\"https:///v2\"]\n").resolve("hosts.toml");
        HostsDirResolver r = new HostsDirResolver(HostsDir.of(root));
        EndpointPlan unusable = r.resolve(ImageReference.parse("alpine"));
        assertThat(unusable.endpoints()).extracting(Endpoint::baseUrl)
                .containsExactly("https://registry-1.docker.io/v2");
        assertThat(unusable.warnings()).extracting(ConfigWarning::located).containsExactly(hostsToml
                + ":1:7: ignoring host.\"https:///v2\": no host in \"https:///v2\" (containerd cannot use it either)");
    }
}
