package dev.jpull.internal.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpull.ConfigWarning;
import dev.jpull.Mirror;
import dev.jpull.RegistriesConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code config render --local-mirror}: the local mirror first for every registry (hosts.toml, registries.yaml). */
class LocalMirrorRenderTest {
    private static final Path EXAMPLES = Path.of("..", "testdata", "k3s");
    private static final Path CERTS = Path.of("/out/certs.d");
    private static final String HEADER = ContainerdRender.HEADER + "\n";
    private static final LocalMirrorAddress LOCAL = LocalMirrorAddress.parse("127.0.0.1:5050");
    private static final String LOCAL_HOST = """
            [host."http://127.0.0.1:5050/v2"]
              capabilities = ["pull", "resolve"]
            """;

    @TempDir
    Path tmp;

    private RegistriesConfig yaml(String text) throws IOException {
        Path file = tmp.resolve("registries.yaml");
        Files.writeString(file, text);
        return RegistriesConfig.load(file);
    }

    private static Map<String, String> hostsFiles(ContainerdRender.Rendered r) {
        Map<String, String> m = new LinkedHashMap<>(r.files());
        m.remove("config.toml");
        return m;
    }

    @Test
    void theLocalMirrorComesFirstThenTheMirrorsThenTheRegistry() {
        ContainerdRender.Rendered r = ContainerdRender.render(
                RegistriesConfig.load(EXAMPLES.resolve("docker-io-accelerator.yaml")), false, CERTS, LOCAL);
        assertThat(r.files().keySet()).containsExactly("config.toml", "certs.d/docker.io/hosts.toml",
                "certs.d/_default/hosts.toml");
        assertThat(r.files().get("certs.d/docker.io/hosts.toml")).isEqualTo(HEADER + """
                server = "https://registry-1.docker.io/v2"
                capabilities = ["pull", "resolve", "push"]

                """ + LOCAL_HOST + """

                [host."https://mirror.example.com/v2"]
                  capabilities = ["pull", "resolve"]
                """);
        assertThat(r.files().get("certs.d/_default/hosts.toml")).as("every other registry: local, then itself")
                .isEqualTo(HEADER + "\n" + LOCAL_HOST);
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void withoutAConfigurationEveryRegistryAndDockerHubGetTheLocalMirror() {
        ContainerdRender.Rendered r = ContainerdRender.render(RegistriesConfig.empty(), false, CERTS, LOCAL);
        assertThat(hostsFiles(r)).containsOnly(
                Map.entry("certs.d/_default/hosts.toml", HEADER + "\n" + LOCAL_HOST),
                Map.entry("certs.d/docker.io/hosts.toml", HEADER + """
                        server = "https://registry-1.docker.io/v2"
                        capabilities = ["pull", "resolve", "push"]

                        """ + LOCAL_HOST));
        assertThat(ContainerdRender.render(RegistriesConfig.empty(), false, CERTS).files().keySet())
                .as("without --local-mirror nothing changes").containsExactly("config.toml");
    }

    @Test
    void aWildcardGetsTheLocalMirrorBeforeItsEndpointsAndNoDockerHubFileIsAdded() {
        ContainerdRender.Rendered r = ContainerdRender.render(RegistriesConfig.load(EXAMPLES.resolve("wildcard.yaml")),
                false, CERTS, LOCAL);
        assertThat(hostsFiles(r)).containsOnly(Map.entry("certs.d/_default/hosts.toml", HEADER + """
                skip_verify = true

                """ + LOCAL_HOST + """

                [host."https://registry.example.com:5000/v2"]
                  capabilities = ["pull", "resolve"]
                """));
    }

    @Test
    void aConfigsOnlyRegistryGetsTheLocalMirrorInItsOwnFile() {
        ContainerdRender.Rendered r = ContainerdRender.render(
                RegistriesConfig.load(EXAMPLES.resolve("https-client-cert.yaml")), false, CERTS, LOCAL);
        assertThat(r.files().get("certs.d/mycustomreg.com:5000/hosts.toml")).isEqualTo(HEADER + """
                server = "https://mycustomreg.com:5000/v2"
                capabilities = ["pull", "resolve", "push"]
                ca = ["/etc/ssl/mycustomreg/ca.crt"]
                client = [["/etc/ssl/mycustomreg/client.crt", "/etc/ssl/mycustomreg/client.key"]]

                """ + LOCAL_HOST);
        assertThat(r.files().get("certs.d/docker.io/hosts.toml")).contains(LOCAL_HOST + "\n"
                + "[host.\"https://mycustomreg.com:5000/v2\"]");
    }

    @Test
    void rewritesStayOnTheOriginalEndpointsNotOnTheLocalMirror() {
        ContainerdRender.Rendered r = ContainerdRender.render(RegistriesConfig.load(EXAMPLES.resolve("rewrite.yaml")),
                false, CERTS, LOCAL);
        assertThat(r.files().get("certs.d/docker.io/hosts.toml")).isEqualTo(HEADER + """
                server = "https://registry-1.docker.io/v2"
                capabilities = ["pull", "resolve", "push"]

                """ + LOCAL_HOST + """

                [host."https://registry.example.com:5000/v2"]
                  capabilities = ["pull", "resolve"]

                  [host."https://registry.example.com:5000/v2".rewrite]
                    "^rancher/(.*)" = "mirrorproject/rancher-images/$1"
                """);
    }

    @Test
    void anEndpointThatIsAlreadyTheLocalMirrorIsNotListedTwice() throws IOException {
        RegistriesConfig c = yaml("""
                mirrors:
                  docker.io:
                    endpoint:
                      - "127.0.0.1:5050"
                      - "https://mirror.example.com"
                      - "http://127.0.0.1:5050/v2"
                """);
        ContainerdRender.Rendered r = ContainerdRender.render(c, false, CERTS, LOCAL);
        assertThat(r.files().get("certs.d/docker.io/hosts.toml")).containsOnlyOnce("127.0.0.1:5050")
                .contains(LOCAL_HOST + "\n[host.\"https://mirror.example.com/v2\"]");
        RegistriesYamlRender.write(c, LOCAL, tmp.resolve("y"));
        RegistriesConfig yaml = RegistriesConfig.load(tmp.resolve("y/registries.yaml"));
        assertThat(yaml.mirrors().get("docker.io").endpoints()).containsExactly("http://127.0.0.1:5050",
                "https://mirror.example.com");
    }

    @Test
    void theRegistryNamedLikeTheLocalMirrorIsLeftAsItIsWithAWarning() throws IOException {
        RegistriesConfig c = yaml("""
                mirrors:
                  "127.0.0.1:5050":
                    endpoint:
                      - "https://elsewhere.example.com"
                """);
        ContainerdRender.Rendered r = ContainerdRender.render(c, false, CERTS, LOCAL);
        assertThat(r.files().get("certs.d/127.0.0.1:5050/hosts.toml")).doesNotContain("host.\"http://127.0.0.1");
        assertThat(r.warnings()).extracting(ConfigWarning::located).containsExactly(c.source() + ":2:3: mirrors."
                + "\"127.0.0.1:5050\": this is the local mirror's own address; its endpoints are left as they are");
    }

    @Test
    void registriesYamlListsTheLocalMirrorFirstAndKeepsConfigsAndRewrites() throws IOException {
        RegistriesConfig c = yaml("""
                # my comment
                mirrors:
                  docker.io:
                    endpoint:
                      - "https://mirror.example.com"
                    rewrite:
                      "^rancher/(.*)": "mirrorproject/rancher-images/$1"
                  "reg.example.com:5000":
                  quay.io:
                    endpoint: ["quay-mirror.example.com"]
                configs:
                  "mirror.example.com":
                    auth:
                      username: "u"
                      password: "p\\"w\\\\d\\u00e9"
                    tls:
                      ca_file: /etc/ssl/ca.crt
                      insecure_skip_verify: true
                  "other.example.com:5000":
                    tls: {}
                  "docker.io":
                """);
        ContainerdRender.Rendered r = RegistriesYamlRender.render(c, LOCAL);
        assertThat(r.files().get("registries.yaml")).isEqualTo(RegistriesYamlRender.MARK + " 127.0.0.1:5050 (from "
                + c.source() + "):\n" + """
                # the local mirror (jpull serve) first for every registry, the original endpoints after it, so
                # that containerd falls back to them when jpull serve is down. Render again after editing.
                mirrors:
                  "docker.io":
                    endpoint:
                      - "http://127.0.0.1:5050"
                      - "https://mirror.example.com"
                    rewrite:
                      "^rancher/(.*)": "mirrorproject/rancher-images/$1"
                  "reg.example.com:5000":
                    endpoint: []
                  "quay.io":
                    endpoint:
                      - "http://127.0.0.1:5050"
                      - "quay-mirror.example.com"
                  "mirror.example.com":
                    endpoint:
                      - "http://127.0.0.1:5050"
                  "other.example.com:5000":
                    endpoint:
                      - "http://127.0.0.1:5050"
                  "*":
                    endpoint:
                      - "http://127.0.0.1:5050"
                configs:
                  "mirror.example.com":
                    auth:
                      username: "u"
                      password: "p\\"w\\\\d\u00e9"
                    tls:
                      ca_file: "/etc/ssl/ca.crt"
                      insecure_skip_verify: true
                  "other.example.com:5000":
                    tls: {}
                  "docker.io": {}
                """);
        assertThat(r.warnings()).extracting(ConfigWarning::located).containsExactly(c.source() + ":7:7: mirrors."
                + "\"docker.io\": K3s applies the rewrite to every endpoint, http://127.0.0.1:5050 too, so jpull "
                + "serve gets the rewritten repository; --format containerd writes hosts.toml files that send it "
                + "the original one");
        Path again = Files.writeString(tmp.resolve("again.yaml"), r.files().get("registries.yaml"));
        RegistriesConfig back = RegistriesConfig.load(again);
        assertThat(back.warnings()).isEmpty();
        assertThat(back.configs()).isEqualTo(c.configs());
        assertThat(back.mirrors().get("docker.io").rewrites()).isEqualTo(c.mirrors().get("docker.io").rewrites());
        assertThat(RegistriesYamlRender.render(back, LOCAL).files().get("registries.yaml"))
                .as("rendering the rendered file changes nothing but its source").isEqualTo(r.files()
                        .get("registries.yaml").replace(c.source().toString(), again.toString()));
    }

    /** What K3s writes for the rendered registries.yaml is what --format containerd writes for the original. */
    @Test
    void k3sRenderingTheRegistriesYamlGivesTheSameHostsFilesAsTheHostsFormat() throws IOException {
        List<Path> examples;
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            examples = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(examples).hasSizeGreaterThan(10);
        int compared = 0;
        for (Path example : examples) {
            RegistriesConfig original;
            try {
                original = RegistriesConfig.load(example);
            } catch (dev.jpull.ConfigException e) {
                continue; // an example of a file K3s rejects
            }
            if (original.mirrors().values().stream().map(Mirror::rewrites).anyMatch(m -> !m.isEmpty())) {
                continue; // K3s puts the rewrites on the local mirror too (the warning above)
            }
            Path yaml = tmp.resolve(example.getFileName().toString());
            Files.writeString(yaml, RegistriesYamlRender.render(original, LOCAL).files().get("registries.yaml"));
            assertThat(hostsFiles(ContainerdRender.render(RegistriesConfig.load(yaml), false, CERTS)))
                    .as(example.toString())
                    .isEqualTo(hostsFiles(ContainerdRender.render(original, false, CERTS, LOCAL)));
            compared++;
        }
        assertThat(compared).isGreaterThan(10);
    }

    @Test
    void writingOverAHandWrittenFileKeepsItAsBackupAndTheResultIsPrivate() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("etc"));
        String mine = "# mine\nmirrors:\n  docker.io:\n    endpoint: [\"https://mirror.example.com\"]\n";
        Path file = Files.writeString(dir.resolve("registries.yaml"), mine);
        ContainerdRender.Rendered r = RegistriesYamlRender.write(RegistriesConfig.load(file), LOCAL, dir);
        assertThat(r.files().keySet()).containsExactly("registries.yaml.bak", "registries.yaml");
        assertThat(dir.resolve("registries.yaml.bak")).hasContent(mine);
        assertThat(Files.getPosixFilePermissions(dir.resolve("registries.yaml.bak")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String rendered = Files.readString(file);
        assertThat(RegistriesConfig.load(file).mirrors().get("docker.io").endpoints())
                .containsExactly("http://127.0.0.1:5050", "https://mirror.example.com");

        ContainerdRender.Rendered again = RegistriesYamlRender.write(RegistriesConfig.load(file), LOCAL, dir);
        assertThat(again.files().keySet()).as("jpull's own file is not backed up").containsExactly("registries.yaml");
        assertThat(dir.resolve("registries.yaml.bak")).hasContent(mine);
        assertThat(file).hasContent(rendered);
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("registries.yaml",
                    "registries.yaml.bak");
        }
    }

    @Test
    void localMirrorAddresses() {
        assertThat(LocalMirrorAddress.parse("127.0.0.1:5050")).isEqualTo(new LocalMirrorAddress("127.0.0.1", 5050));
        assertThat(LocalMirrorAddress.parse("127.0.0.1:5050").loopback()).isTrue();
        assertThat(LocalMirrorAddress.parse("localhost:1").loopback()).isTrue();
        assertThat(LocalMirrorAddress.parse("[::1]:65535").apiUrl()).isEqualTo("http://[::1]:65535/v2");
        assertThat(LocalMirrorAddress.parse("[::1]:65535").loopback()).isTrue();
        assertThat(LocalMirrorAddress.parse("10.0.0.5:5050").loopback()).isFalse();
        assertThat(LocalMirrorAddress.parse("node-1.example.com:5050").url())
                .isEqualTo("http://node-1.example.com:5050");
        assertThatThrownBy(() -> LocalMirrorAddress.parse("http://127.0.0.1:5050"))
                .hasMessageStartingWith("write HOST:PORT without a scheme");
        assertThatThrownBy(() -> LocalMirrorAddress.parse("127.0.0.1")).hasMessage("expected HOST:PORT, e.g. "
                + "127.0.0.1:5050");
        assertThatThrownBy(() -> LocalMirrorAddress.parse("127.0.0.1:")).hasMessageStartingWith("the port is missing");
        assertThatThrownBy(() -> LocalMirrorAddress.parse(":5050")).hasMessageStartingWith("expected HOST:PORT");
        assertThatThrownBy(() -> LocalMirrorAddress.parse("127.0.0.1:0")).hasMessage("port '0' is not a number from "
                + "1 to 65535");
        assertThatThrownBy(() -> LocalMirrorAddress.parse("127.0.0.1:65536")).hasMessageContaining("'65536'");
        assertThatThrownBy(() -> LocalMirrorAddress.parse("127.0.0.1:50x")).hasMessageContaining("'50x'");
        assertThatThrownBy(() -> LocalMirrorAddress.parse("::1:5050")).hasMessageContaining("in brackets");
        assertThatThrownBy(() -> LocalMirrorAddress.parse("a b:5050")).hasMessageStartingWith("'a b' is not a host");
        assertThatThrownBy(() -> LocalMirrorAddress.parse("127.0.0.1:5050/v2")).isInstanceOf(
                IllegalArgumentException.class);
    }
}
