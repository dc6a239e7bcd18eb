package dev.jpull.internal.resolve;

import dev.jpull.Endpoint;
import dev.jpull.EndpointPlan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.jpull.AuthConfig;
import dev.jpull.RegistriesConfig;
import dev.jpull.RegistryConfig;
import dev.jpull.TlsConfig;
import dev.jpull.ImageReference;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every registries.yaml in testdata/k3s (the K3s docs' examples) parsed and resolved for a relevant image. */
class K3sExamplesTest {
    private static final String HUB = "https://registry-1.docker.io/v2";

    private static RegistriesConfig load(String name) {
        RegistriesConfig c = RegistriesConfig.load(Path.of("..", "testdata", "k3s", name));
        assertThat(c.warnings()).as("warnings of " + name).isEmpty();
        return c;
    }

    private static EndpointPlan resolve(RegistriesConfig c, String image) {
        EndpointResolver r = new EndpointResolver(c, false);
        EndpointPlan plan = r.resolve(ImageReference.parse(image));
        assertThat(r.warnings()).isEmpty();
        return plan;
    }

    /** url, repository, ns, credentials kind, tls mode, isDefault of every endpoint. */
    private static List<org.assertj.core.groups.Tuple> rows(EndpointPlan plan) {
        return plan.endpoints().stream().map(e -> tuple(e.baseUrl(), e.repository(), e.namespace(),
                e.credentialsKind(), e.tlsMode(), e.isDefault())).toList();
    }

    private static org.assertj.core.groups.Tuple row(String url, String repo, String ns, String creds, String tls,
                                                     boolean isDefault) {
        return tuple(url, repo, ns, creds, tls, isDefault);
    }

    @Test
    void mirrorBasic() {
        RegistriesConfig c = load("mirror-basic.yaml");
        assertThat(c.mirrors().get("mycustomreg.com").endpoints()).containsExactly("https://mycustomreg.com:5000");
        assertThat(c.configs()).isEmpty();
        assertThat(rows(resolve(c, "mycustomreg.com/coredns-coredns:1.6.3"))).containsExactly(
                row("https://mycustomreg.com:5000/v2", "coredns-coredns", "mycustomreg.com", "none", "https", false),
                row("https://mycustomreg.com/v2", "coredns-coredns", null, "none", "https", true));
    }

    @Test
    void redirect() {
        RegistriesConfig c = load("redirect.yaml");
        EndpointPlan plan = resolve(c, "docker.io/rancher/mirrored-pause:3.6");
        assertThat(rows(plan)).containsExactly(
                row("https://registry.example.com:5000/v2", "rancher/mirrored-pause", "docker.io", "none", "https",
                        false),
                row(HUB, "rancher/mirrored-pause", null, "none", "https", true));
        assertThat(plan.endpoints().get(0).url("manifests", "3.6")).isEqualTo(
                "https://registry.example.com:5000/v2/rancher/mirrored-pause/manifests/3.6?ns=docker.io");
        assertThat(plan.endpoints().get(0).mirrorName()).isEqualTo("docker.io");
    }

    @Test
    void rewrite() {
        RegistriesConfig c = load("rewrite.yaml");
        assertThat(c.mirrors().get("docker.io").rewrites())
                .containsExactly(Map.entry("^rancher/(.*)", "mirrorproject/rancher-images/$1"));
        assertThat(rows(resolve(c, "docker.io/rancher/mirrored-pause:3.6"))).containsExactly(
                row("https://registry.example.com:5000/v2", "mirrorproject/rancher-images/mirrored-pause",
                        "docker.io", "none", "https", false),
                row(HUB, "rancher/mirrored-pause", null, "none", "https", true));
        assertThat(resolve(c, "alpine").endpoints()).extracting(Endpoint::repository)
                .containsExactly("library/alpine", "library/alpine");
    }

    @Test
    void rewriteOnTheRegistryItselfWithPort443() {
        RegistriesConfig c = load("rewrite-port-443.yaml");
        assertThat(rows(resolve(c, "registry.example.com/rancher/mirrored-pause:3.6"))).containsExactly(
                row("https://registry.example.com:443/v2", "mirrorproject/rancher-images/mirrored-pause",
                        "registry.example.com", "none", "https", false),
                row("https://registry.example.com/v2", "rancher/mirrored-pause", null, "none", "https", true));
    }

    @Test
    void wildcard() {
        RegistriesConfig c = load("wildcard.yaml");
        assertThat(c.mirrors().keySet()).containsExactly("*");
        assertThat(c.configs().keySet()).containsExactly("docker.io", "*");
        assertThat(c.configs().get("docker.io")).isEqualTo(RegistryConfig.EMPTY);
        assertThat(c.configs().get("*").tls()).isEqualTo(new TlsConfig(null, null, null, true));

        EndpointPlan quay = resolve(c, "quay.io/foo/bar:1");
        assertThat(rows(quay)).containsExactly(
                row("https://registry.example.com:5000/v2", "foo/bar", "quay.io", "none", "https insecure-skip-verify",
                        false),
                row("https://quay.io/v2", "foo/bar", null, "none", "https insecure-skip-verify", true));
        assertThat(quay.endpoints()).extracting(Endpoint::mirrorName, Endpoint::configKey)
                .containsExactly(tuple("*", "*"), tuple(null, "*"));

        EndpointPlan hub = resolve(c, "alpine");
        assertThat(rows(hub)).containsExactly(
                row("https://registry.example.com:5000/v2", "library/alpine", "docker.io", "none",
                        "https insecure-skip-verify", false),
                row(HUB, "library/alpine", null, "none", "https", true));
        assertThat(hub.endpoints().get(1).configKey()).isEqualTo("docker.io");
    }

    @Test
    void httpsWithAuthAsInTheDocsLeavesTlsUnset() {
        RegistriesConfig c = load("https-with-auth.yaml");
        RegistryConfig rc = c.configs().get("registry.example.com:5000");
        assertThat(rc.auth().username()).isEqualTo("xxxxxx");
        assertThat(rc.auth().password()).isEqualTo("xxxxxx");
        assertThat(rc.tls()).isEqualTo(new TlsConfig(null, null, null, false));
        assertThat(rows(resolve(c, "rancher/mirrored-pause:3.6"))).containsExactly(
                row("https://registry.example.com:5000/v2", "rancher/mirrored-pause", "docker.io", "basic", "https",
                        false),
                row(HUB, "rancher/mirrored-pause", null, "none", "https", true));
    }

    @Test
    void httpsWithoutAuth() {
        RegistriesConfig c = load("https-without-auth.yaml");
        assertThat(c.configs().get("registry.example.com:5000"))
                .isEqualTo(new RegistryConfig(null, new TlsConfig(null, null, null, false)));
        EndpointPlan plan = resolve(c, "alpine");
        assertThat(rows(plan)).containsExactly(
                row("https://registry.example.com:5000/v2", "library/alpine", "docker.io", "none", "https", false),
                row(HUB, "library/alpine", null, "none", "https", true));
        assertThat(plan.endpoints().get(0).configKey()).isEqualTo("registry.example.com:5000");
    }

    @Test
    void httpWithAuth() {
        RegistriesConfig c = load("http-with-auth.yaml");
        assertThat(c.configs().get("registry.example.com:5000").auth())
                .isEqualTo(new AuthConfig("xxxxxx", "xxxxxx", null, null));
        assertThat(rows(resolve(c, "alpine"))).containsExactly(
                row("http://registry.example.com:5000/v2", "library/alpine", "docker.io", "basic", "plain-http",
                        false),
                row(HUB, "library/alpine", null, "none", "https", true));
    }

    @Test
    void httpWithoutAuth() {
        RegistriesConfig c = load("http-without-auth.yaml");
        assertThat(c.configs()).isEmpty();
        assertThat(rows(resolve(c, "alpine"))).containsExactly(
                row("http://registry.example.com:5000/v2", "library/alpine", "docker.io", "none", "plain-http",
                        false),
                row(HUB, "library/alpine", null, "none", "https", true));
    }

    @Test
    void olderDocsKeyTheCredentialsByTheWrongHost() {
        RegistriesConfig c = load("old-docs-https-with-auth.yaml");
        assertThat(c.configs().keySet()).containsExactly("mycustomreg:5000");
        EndpointPlan plan = resolve(c, "rancher/coredns-coredns:1.6.3");
        assertThat(rows(plan)).containsExactly(
                row("https://mycustomreg.com:5000/v2", "rancher/coredns-coredns", "docker.io", "none", "https", false),
                row(HUB, "rancher/coredns-coredns", null, "none", "https", true));
        assertThat(plan.endpoints().get(0).configKey()).isNull();
    }

    @Test
    void httpsWithATrustedCaNeedsOnlyCredentials() {
        RegistriesConfig c = load("https-trusted-ca.yaml");
        assertThat(c.configs().get("mycustomreg.com:5000").tls()).isNull();
        EndpointPlan plan = resolve(c, "mycustomreg.com:5000/coredns-coredns:1.6.3");
        // The only listed endpoint is the registry's own default URL, so K3s folds it into the default.
        assertThat(rows(plan)).containsExactly(
                row("https://mycustomreg.com:5000/v2", "coredns-coredns", null, "basic", "https", true));
        assertThat(plan.endpoints().get(0).configKey()).isEqualTo("mycustomreg.com:5000");
    }

    @Test
    void httpsWithASelfSignedCa() {
        RegistriesConfig c = load("https-self-signed-ca.yaml");
        assertThat(c.configs().get("mycustomreg.com:5000").tls().caFile())
                .isEqualTo(Path.of("/etc/ssl/mycustomreg/ca.crt"));
        assertThat(rows(resolve(c, "alpine"))).containsExactly(
                row("https://mycustomreg.com:5000/v2", "library/alpine", "docker.io", "basic",
                        "https ca=/etc/ssl/mycustomreg/ca.crt", false),
                row(HUB, "library/alpine", null, "none", "https", true));
    }

    @Test
    void httpsWithClientCertificates() {
        RegistriesConfig c = load("https-client-cert.yaml");
        assertThat(c.configs().get("mycustomreg.com:5000").tls()).isEqualTo(new TlsConfig(
                Path.of("/etc/ssl/mycustomreg/ca.crt"), Path.of("/etc/ssl/mycustomreg/client.crt"),
                Path.of("/etc/ssl/mycustomreg/client.key"), false));
        assertThat(rows(resolve(c, "rancher/mirrored-pause:3.6"))).containsExactly(
                row("https://mycustomreg.com:5000/v2", "rancher/mirrored-pause", "docker.io", "none",
                        "https ca=/etc/ssl/mycustomreg/ca.crt client-cert=/etc/ssl/mycustomreg/client.crt", false),
                row(HUB, "rancher/mirrored-pause", null, "none", "https", true));
    }

    @Test
    void dockerHubAcceleratorWithDockerHubListedLast() {
        RegistriesConfig c = load("docker-io-accelerator.yaml");
        assertThat(c.mirrors().get("docker.io").endpoints())
                .containsExactly("https://mirror.example.com", "https://registry-1.docker.io");
        assertThat(rows(resolve(c, "alpine"))).containsExactly(
                row("https://mirror.example.com/v2", "library/alpine", "docker.io", "none", "https", false),
                row(HUB, "library/alpine", null, "none", "https", true));

        EndpointPlan noDefault = new EndpointResolver(c, true).resolve(ImageReference.parse("alpine"));
        assertThat(rows(noDefault)).as("with the default disabled the listed Docker Hub stays a mirror")
                .containsExactly(
                        row("https://mirror.example.com/v2", "library/alpine", "docker.io", "none", "https", false),
                        row(HUB, "library/alpine", null, "none", "https", false));
    }

    @Test
    void twoMirrorNamesServedByOneEndpoint() {
        RegistriesConfig c = load("two-names-one-endpoint.yaml");
        assertThat(c.mirrors().keySet()).containsExactly("mycustomreg.com:5000", "registry.example.com:5000");
        assertThat(rows(resolve(c, "registry.example.com:5000/rancher/pause:3.6"))).containsExactly(
                row("https://mycustomreg.com:5000/v2", "rancher/pause", "registry.example.com:5000", "basic", "https",
                        false),
                row("https://registry.example.com:5000/v2", "rancher/pause", null, "none", "https", true));
        assertThat(rows(resolve(c, "mycustomreg.com:5000/rancher/pause:3.6"))).containsExactly(
                row("https://mycustomreg.com:5000/v2", "rancher/pause", null, "basic", "https", true));
    }

    @Test
    void fullExampleWithEmptyValues() {
        RegistriesConfig c = load("full-example-empty-values.yaml");
        assertThat(c.mirrors().get("docker.io").endpoints()).containsExactly("https://registry.example.com:5000");
        RegistryConfig rc = c.configs().get("registry.example.com:5000");
        assertThat(rc.auth()).isEqualTo(new AuthConfig(null, null, null, null));
        assertThat(rc.tls()).isEqualTo(new TlsConfig(null, null, null, false));
        assertThat(rows(resolve(c, "rancher/mirrored-pause:3.6"))).containsExactly(
                row("https://registry.example.com:5000/v2", "mirrorproject/rancher-images/mirrored-pause",
                        "docker.io", "none", "https", false),
                row(HUB, "rancher/mirrored-pause", null, "none", "https", true));
    }
}
