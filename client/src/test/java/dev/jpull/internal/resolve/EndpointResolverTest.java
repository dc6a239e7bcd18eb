package dev.jpull.internal.resolve;

import dev.jpull.Endpoint;
import dev.jpull.EndpointPlan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.RegistriesConfig;
import dev.jpull.ImageReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndpointResolverTest {
    @TempDir
    Path dir;

    private RegistriesConfig config(String yaml) throws Exception {
        Path file = dir.resolve("registries.yaml");
        Files.writeString(file, yaml);
        return RegistriesConfig.load(file);
    }

    private static List<String> urls(EndpointPlan plan) {
        return plan.endpoints().stream().map(Endpoint::baseUrl).toList();
    }

    private static EndpointPlan resolve(RegistriesConfig c, String image) {
        return new EndpointResolver(c, false).resolve(ImageReference.parse(image));
    }

    @Test
    void withoutConfigEveryImageGoesToItsOwnRegistry() {
        RegistriesConfig none = RegistriesConfig.empty();
        EndpointPlan plan = resolve(none, "alpine");
        assertThat(plan.reference().toString()).isEqualTo("docker.io/library/alpine:latest");
        assertThat(plan.endpoints()).singleElement().satisfies(e -> {
            assertThat(e.baseUrl()).isEqualTo("https://registry-1.docker.io/v2");
            assertThat(e.repository()).isEqualTo("library/alpine");
            assertThat(e.namespace()).isNull();
            assertThat(e.isDefault()).isTrue();
            assertThat(e.mirrorName()).isNull();
            assertThat(e.configKey()).isNull();
            assertThat(e.credentialsKind()).isEqualTo("none");
            assertThat(e.tlsMode()).isEqualTo("https");
            assertThat(e.url("manifests", "latest"))
                    .isEqualTo("https://registry-1.docker.io/v2/library/alpine/manifests/latest");
        });
        assertThat(urls(resolve(none, "quay.io/foo/bar"))).containsExactly("https://quay.io/v2");
    }

    @Test
    void loopbackRegistriesWithoutHostsTomlFollowContainerdsDefaults() {
        RegistriesConfig none = RegistriesConfig.empty();
        assertThat(urls(resolve(none, "localhost:5000/foo"))).containsExactly("http://localhost:5000/v2");
        assertThat(urls(resolve(none, "127.0.0.1:5000/foo"))).containsExactly("http://127.0.0.1:5000/v2");
        assertThat(urls(resolve(none, "[::1]:5000/foo"))).containsExactly("http://[::1]:5000/v2");
        assertThat(urls(resolve(none, "localhost:443/foo"))).containsExactly("https://localhost:443/v2");
        assertThat(urls(resolve(none, "127.0.0.1:443/foo"))).containsExactly("https://127.0.0.1:443/v2");
        assertThat(urls(resolve(none, "localhost/foo"))).containsExactly("https://localhost/v2");
        assertThat(urls(resolve(none, "172.31.6.200:5000/library/alpine")))
                .containsExactly("https://172.31.6.200:5000/v2");
        assertThat(resolve(none, "localhost:5000/foo").endpoints().get(0).tlsMode())
                .isEqualTo("https insecure-skip-verify, then plain-http");
        assertThat(resolve(none, "localhost/foo").endpoints().get(0).tlsMode()).isEqualTo("https insecure-skip-verify");
        assertThat(resolve(none, "localhost:80/foo").endpoints().get(0).tlsMode()).isEqualTo("plain-http");
        assertThat(resolve(none, "172.31.6.200:5000/library/alpine").endpoints().get(0).tlsMode()).isEqualTo("https");
    }

    @Test
    void mirrorLookupIsExactNameElseWildcard() throws Exception {
        RegistriesConfig c = config("""
                mirrors:
                  "*":
                    endpoint: ["https://any.example.com"]
                  quay.io:
                    endpoint: ["https://quay-mirror.example.com"]
                  index.docker.io:
                    endpoint: ["https://never.example.com"]
                """);
        EndpointPlan quay = resolve(c, "quay.io/foo/bar");
        assertThat(urls(quay)).containsExactly("https://quay-mirror.example.com/v2", "https://quay.io/v2");
        assertThat(quay.endpoints().get(0).mirrorName()).isEqualTo("quay.io");
        EndpointPlan ghcr = resolve(c, "ghcr.io/foo/bar");
        assertThat(urls(ghcr)).containsExactly("https://any.example.com/v2", "https://ghcr.io/v2");
        assertThat(ghcr.endpoints().get(0).mirrorName()).isEqualTo("*");
        assertThat(ghcr.endpoints().get(0).namespace()).isEqualTo("ghcr.io");
        assertThat(urls(resolve(c, "alpine")))
                .containsExactly("https://any.example.com/v2", "https://registry-1.docker.io/v2");
    }

    @Test
    void duplicatesAreDroppedWithAWarning() throws Exception {
        RegistriesConfig c = config("""
                mirrors:
                  docker.io:
                    endpoint:
                      - registry.example.com
                      - https://registry.example.com
                      - https://registry.example.com/v2
                      - https://registry.example.com:443
                      - ftp://bad.example.com
                """);
        EndpointResolver r = new EndpointResolver(c, false);
        assertThat(urls(r.resolve(ImageReference.parse("alpine")))).containsExactly(
                "https://registry.example.com/v2", "https://registry.example.com:443/v2",
                "https://registry-1.docker.io/v2");
        assertThat(r.warnings()).hasSize(3);
        assertThat(r.warnings().get(0)).isEqualTo(c.source() + ":5:9: mirrors.\"docker.io\": skipping duplicate"
                + " endpoint \"https://registry.example.com\" (same as https://registry.example.com/v2)");
        assertThat(r.warnings().get(2)).startsWith(c.source() + ":8:9: mirrors.\"docker.io\": ignoring invalid"
                + " endpoint \"ftp://bad.example.com\"");
        r.resolve(ImageReference.parse("busybox"));
        assertThat(r.warnings()).as("each warning once").hasSize(3);
    }

    @Test
    void overridePathIsTheFullApiRoot() throws Exception {
        RegistriesConfig c = config("""
                mirrors:
                  docker.io:
                    endpoint:
                      - https://m.example.com/prefix/v2
                      - https://p.example.com/project/registry/
                      - https://n.example.com/
                """);
        EndpointPlan plan = resolve(c, "rancher/pause:3.6");
        assertThat(plan.endpoints()).extracting(Endpoint::apiRoot)
                .containsExactly("/prefix/v2", "/project/registry", "/v2", "/v2");
        assertThat(plan.endpoints().get(1).url("manifests", "3.6"))
                .isEqualTo("https://p.example.com/project/registry/rancher/pause/manifests/3.6?ns=docker.io");
    }

    @Test
    void lastEndpointEqualToTheDefaultIsFoldedIntoIt() throws Exception {
        RegistriesConfig c = config("""
                mirrors:
                  registry.example.com:
                    endpoint: ["https://m.example.com", "registry.example.com"]
                    rewrite:
                      "^rancher/(.*)": "mirrored/$1"
                """);
        EndpointPlan plan = resolve(c, "registry.example.com/rancher/pause");
        assertThat(urls(plan)).containsExactly("https://m.example.com/v2", "https://registry.example.com/v2");
        assertThat(plan.endpoints().get(0).repository()).isEqualTo("mirrored/pause");
        Endpoint last = plan.endpoints().get(1);
        assertThat(last.isDefault()).isTrue();
        assertThat(last.repository()).as("no rewrite on the default").isEqualTo("rancher/pause");
        assertThat(last.mirrorName()).isNull();
    }

    @Test
    void defaultUrlListedEarlierStaysAMirrorAndTheDefaultIsStillLast() throws Exception {
        RegistriesConfig c = config("""
                mirrors:
                  registry.example.com:
                    endpoint: ["registry.example.com", "https://m.example.com"]
                    rewrite:
                      "^rancher/(.*)": "mirrored/$1"
                """);
        EndpointPlan plan = resolve(c, "registry.example.com/rancher/pause");
        assertThat(urls(plan)).containsExactly("https://registry.example.com/v2", "https://m.example.com/v2",
                "https://registry.example.com/v2");
        assertThat(plan.endpoints()).extracting(Endpoint::repository)
                .containsExactly("mirrored/pause", "mirrored/pause", "rancher/pause");
        assertThat(plan.endpoints()).extracting(Endpoint::isDefault).containsExactly(false, false, true);
        assertThat(plan.endpoints().get(0).namespace()).as("same host as the registry").isNull();
        assertThat(plan.endpoints().get(1).namespace()).isEqualTo("registry.example.com");
    }

    @Test
    void wildcardMirrorNeverFoldsIntoTheDefault() throws Exception {
        RegistriesConfig c = config("mirrors:\n  \"*\":\n    endpoint: [\"https://registry-1.docker.io\"]\n");
        EndpointPlan plan = resolve(c, "alpine");
        assertThat(urls(plan)).containsExactly("https://registry-1.docker.io/v2", "https://registry-1.docker.io/v2");
        assertThat(plan.endpoints()).extracting(Endpoint::isDefault).containsExactly(false, true);
        assertThat(plan.endpoints().get(0).namespace()).as("docker.io and registry-1.docker.io are one").isNull();
    }

    @Test
    void disableDefaultEndpointDropsTheUpstreamOnlyForMirroredRegistries() throws Exception {
        RegistriesConfig c = config("""
                mirrors:
                  docker.io:
                    endpoint: ["https://m.example.com", "https://registry-1.docker.io"]
                  quay.io:
                    endpoint: ["https://q.example.com"]
                  ghcr.io:
                """);
        EndpointResolver r = new EndpointResolver(c, true);
        EndpointPlan hub = r.resolve(ImageReference.parse("alpine"));
        assertThat(urls(hub)).containsExactly("https://m.example.com/v2", "https://registry-1.docker.io/v2");
        assertThat(hub.endpoints()).extracting(Endpoint::isDefault).containsExactly(false, false);
        assertThat(hub.endpoints().get(1).mirrorName()).isEqualTo("docker.io");
        assertThat(urls(r.resolve(ImageReference.parse("quay.io/a/b")))).containsExactly("https://q.example.com/v2");
        assertThat(urls(r.resolve(ImageReference.parse("gcr.io/a/b")))).containsExactly("https://gcr.io/v2");
        assertThat(urls(r.resolve(ImageReference.parse("ghcr.io/a/b"))))
                .as("a mirror entry without endpoints does not block the upstream")
                .containsExactly("https://ghcr.io/v2");
    }

    @Test
    void disableDefaultEndpointAppliesToWildcardMirrors() throws Exception {
        RegistriesConfig c = config("mirrors:\n  \"*\":\n    endpoint: [\"https://any.example.com\"]\n");
        EndpointPlan plan = new EndpointResolver(c, true).resolve(ImageReference.parse("gcr.io/a/b"));
        assertThat(urls(plan)).containsExactly("https://any.example.com/v2");
    }

    @Test
    void rewritesApplyToMirrorEndpointsOnlyAndTheirWarningsAreKept() throws Exception {
        RegistriesConfig c = config("""
                mirrors:
                  docker.io:
                    endpoint: ["https://a.example.com", "https://b.example.com"]
                    rewrite:
                      "[invalid": "x"
                      "^library/(.*)": "hub/${1}x"
                """);
        EndpointResolver r = new EndpointResolver(c, false);
        EndpointPlan plan = r.resolve(ImageReference.parse("alpine:3.20"));
        assertThat(plan.endpoints()).extracting(Endpoint::repository)
                .containsExactly("hub/alpinex", "hub/alpinex", "library/alpine");
        assertThat(plan.endpoints().get(0).url("manifests", "3.20"))
                .isEqualTo("https://a.example.com/v2/hub/alpinex/manifests/3.20?ns=docker.io");
        assertThat(r.warnings()).singleElement().asString()
                .startsWith(c.source() + ":5:7: mirrors.\"docker.io\": ignoring rewrite pattern \"[invalid\"");
    }

    @Test
    void endpointsGoAndK3sRefuseOrNothingCanConnectToAreSkippedWithFileLineAndColumn() throws Exception {
        // issue 8 point 7: these were listed by resolve and then killed pull with "Invalid URL host"
        RegistriesConfig c = config("""
                mirrors:
                  docker.io:
                    endpoint:
                      - "http://127.0.0.1 :5700"
                      - http://127.0.0.1:99999
                      - http://127.0.0.1:0
                      - "http://:5000"
                      - "http://a^b.example.com"
                      - "http://127.0.0.1:5000/v2/%zz"
                      - "http://a..b.example.com"
                      - "http://[::1:5000"
                      - http://good_host.example.com:5000
                """);
        EndpointResolver r = new EndpointResolver(c, false);
        EndpointPlan plan = r.resolve(ImageReference.parse("alpine"));
        assertThat(urls(plan)).containsExactly("http://good_host.example.com:5000/v2",
                "https://registry-1.docker.io/v2");
        Path f = c.source();
        assertThat(r.warnings()).containsExactly(
                f + ":4:9: mirrors.\"docker.io\": ignoring invalid endpoint \"http://127.0.0.1 :5700\": invalid"
                        + " character ' ' in host name",
                f + ":5:9: mirrors.\"docker.io\": ignoring invalid endpoint \"http://127.0.0.1:99999\": invalid"
                        + " port 99999 (a port is 1-65535; nothing can connect to it)",
                f + ":6:9: mirrors.\"docker.io\": ignoring invalid endpoint \"http://127.0.0.1:0\": invalid port 0"
                        + " (a port is 1-65535; nothing can connect to it)",
                f + ":7:9: mirrors.\"docker.io\": ignoring invalid endpoint \"http://:5000\": no host",
                f + ":8:9: mirrors.\"docker.io\": ignoring invalid endpoint \"http://a^b.example.com\": invalid"
                        + " character '^' in host name",
                f + ":9:9: mirrors.\"docker.io\": ignoring invalid endpoint \"http://127.0.0.1:5000/v2/%zz\":"
                        + " invalid URL escape \"%zz\"",
                f + ":10:9: mirrors.\"docker.io\": ignoring invalid endpoint \"http://a..b.example.com\": not a"
                        + " usable URL host \"a..b.example.com\"",
                f + ":11:9: mirrors.\"docker.io\": ignoring invalid endpoint \"http://[::1:5000\": missing ']' in"
                        + " host");
        // every endpoint of the plan can be requested
        for (Endpoint e : plan.endpoints()) {
            assertThat(okhttp3.HttpUrl.parse(e.url("manifests", "latest"))).as(e.baseUrl()).isNotNull();
        }
    }

    @Test
    void userInfoQueryAndFragmentAreIgnoredWithAWarningThatNeverShowsThePassword() throws Exception {
        RegistriesConfig c = config("""
                mirrors:
                  docker.io:
                    endpoint:
                      - "https://alice:s3cret@mirror.example.com/v2"
                      - "https://other.example.com/v2?x=1#frag"
                """);
        EndpointResolver r = new EndpointResolver(c, false);
        assertThat(urls(r.resolve(ImageReference.parse("alpine")))).containsExactly(
                "https://mirror.example.com/v2", "https://other.example.com/v2", "https://registry-1.docker.io/v2");
        assertThat(r.warnings()).containsExactly(
                c.source() + ":4:9: mirrors.\"docker.io\": endpoint \"https://<user info>@mirror.example.com/v2\": the"
                        + " user info in the URL is ignored (K3s and containerd do not send it; put credentials under"
                        + " configs.<host>.auth)",
                c.source() + ":5:9: mirrors.\"docker.io\": endpoint \"https://other.example.com/v2?x=1#frag\": the"
                        + " query and fragment of the URL are ignored (as containerd ignores them)");
        assertThat(String.join("\n", r.warnings())).doesNotContain("s3cret", "alice");
    }

    @Test
    void aRewriteThatMakesAnInvalidRepositoryIsSkippedAtItsPosition() throws Exception {
        RegistriesConfig c = config("""
                mirrors:
                  docker.io:
                    endpoint: ["https://a.example.com"]
                    rewrite:
                      "^library/(.*)": "../../admin/$1"
                      "^lib(rary)/(.*)": "hub/$2"
                """);
        EndpointResolver r = new EndpointResolver(c, false);
        EndpointPlan plan = r.resolve(ImageReference.parse("alpine"));
        assertThat(plan.endpoints()).extracting(Endpoint::repository).containsExactly("hub/alpine", "library/alpine");
        assertThat(r.warnings()).containsExactly(c.source() + ":5:7: mirrors.\"docker.io\": ignoring rewrite"
                + " pattern \"^library/(.*)\" for library/alpine: the result \"../../admin/alpine\" is not a valid"
                + " repository name");
    }

    @Test
    void configsAreKeyedByEndpointHostNotMirrorName() throws Exception {
        RegistriesConfig c = config("""
                mirrors:
                  docker.io:
                    endpoint: ["https://m.example.com:5000"]
                configs:
                  docker.io:
                    auth: {username: hub, password: p}
                  m.example.com:5000:
                    tls: {ca_file: /ca.pem}
                """);
        EndpointPlan plan = resolve(c, "alpine");
        Endpoint mirror = plan.endpoints().get(0);
        assertThat(mirror.configKey()).isEqualTo("m.example.com:5000");
        assertThat(mirror.credentialsKind()).isEqualTo("none");
        assertThat(mirror.tlsMode()).isEqualTo("https ca=/ca.pem");
        Endpoint upstream = plan.endpoints().get(1);
        assertThat(upstream.configKey()).isEqualTo("docker.io");
        assertThat(upstream.credentialsKind()).isEqualTo("basic");
    }

    @Test
    void dockerHubEndpointsFindBothConfigKeys() throws Exception {
        RegistriesConfig both = config("""
                mirrors:
                  "*":
                    endpoint: ["docker.io"]
                configs:
                  docker.io:
                    auth: {username: a}
                  registry-1.docker.io:
                    auth: {identity_token: t}
                """);
        EndpointPlan plan = resolve(both, "quay.io/x/y");
        assertThat(plan.endpoints().get(0).baseUrl()).isEqualTo("https://registry-1.docker.io/v2");
        assertThat(plan.endpoints().get(0).configKey()).isEqualTo("registry-1.docker.io");
        assertThat(plan.endpoints().get(0).credentialsKind()).isEqualTo("identity-token");
        assertThat(plan.endpoints().get(0).namespace()).isEqualTo("quay.io");

        RegistriesConfig hubOnly = config("configs:\n  registry-1.docker.io:\n    auth: {username: a}\n");
        Endpoint upstream = resolve(hubOnly, "alpine").endpoints().get(0);
        assertThat(upstream.configKey()).isEqualTo("registry-1.docker.io");
        assertThat(upstream.credentialsKind()).isEqualTo("basic");
    }

    @Test
    void wildcardTlsAppliesWhenNoSpecificKeyIsPresentAndANullEntryOptsOut() throws Exception {
        RegistriesConfig c = config("""
                configs:
                  quay.io:
                  "*":
                    tls: {insecure_skip_verify: true}
                """);
        Endpoint ghcr = resolve(c, "ghcr.io/a/b").endpoints().get(0);
        assertThat(ghcr.configKey()).isEqualTo("*");
        assertThat(ghcr.tlsMode()).isEqualTo("https insecure-skip-verify");
        Endpoint quay = resolve(c, "quay.io/a/b").endpoints().get(0);
        assertThat(quay.configKey()).isEqualTo("quay.io");
        assertThat(quay.tlsMode()).isEqualTo("https");
    }
}
