package dev.jpull.internal.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.Endpoint;
import dev.jpull.ImageReference;
import dev.jpull.RegistriesConfig;
import dev.jpull.internal.config.HostsDir;
import dev.jpull.internal.render.ContainerdRender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A localhost registry follows containerd's defaults when nothing configures it, in registries.yaml mode,
 * --hosts-dir mode and what config render writes (issue 12, point 9).
 */
class LocalhostDefaultsTest {
    @TempDir
    Path dir;

    private RegistriesConfig yaml(String text) throws Exception {
        return RegistriesConfig.load(Files.writeString(dir.resolve("registries.yaml"), text));
    }

    private static List<String> modes(List<Endpoint> endpoints) {
        return endpoints.stream().map(e -> e.baseUrl() + " " + e.tlsMode()).toList();
    }

    private static List<Endpoint> registriesYaml(RegistriesConfig c, String image) {
        return new EndpointResolver(c, false).resolve(ImageReference.parse(image)).endpoints();
    }

    private List<Endpoint> hostsDir(Path root, String image) {
        return new HostsDirResolver(HostsDir.of(root)).resolve(ImageReference.parse(image)).endpoints();
    }

    @Test
    void bothModesAgreeWithContainerdWhenNothingIsConfigured() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("certs.d"));
        RegistriesConfig none = RegistriesConfig.empty();
        for (String image : List.of("localhost/app", "localhost:443/app", "localhost:5000/app", "127.0.0.1:5000/app",
                "localhost:80/app")) {
            assertThat(modes(registriesYaml(none, image))).as(image).isEqualTo(modes(hostsDir(empty, image)));
        }
        assertThat(modes(registriesYaml(none, "localhost/app")))
                .containsExactly("https://localhost/v2 https insecure-skip-verify");
        assertThat(modes(registriesYaml(none, "localhost:5000/app")))
                .containsExactly("http://localhost:5000/v2 https insecure-skip-verify, then plain-http");
        assertThat(modes(registriesYaml(none, "localhost:80/app"))).containsExactly("http://localhost:80/v2 plain-http");
    }

    @Test
    void aMirrorEntryWithoutEndpointsChangesNothingAndRendersNoHostsToml() throws Exception {
        RegistriesConfig c = yaml("mirrors:\n  localhost:\n  \"localhost:5000\":\n    endpoint: []\n");
        assertThat(modes(registriesYaml(c, "localhost/app")))
                .containsExactly("https://localhost/v2 https insecure-skip-verify");
        assertThat(modes(registriesYaml(c, "localhost:5000/app")))
                .containsExactly("http://localhost:5000/v2 https insecure-skip-verify, then plain-http");
        assertThat(ContainerdRender.render(c, false, dir.resolve("out/certs.d")).files().keySet())
                .containsExactly("config.toml");
    }

    @Test
    void whenK3sWritesAHostsTomlItsServerIsUsed() throws Exception {
        RegistriesConfig c = yaml("""
                mirrors:
                  "localhost:5000":
                    endpoint: ["http://127.0.0.1:5001"]
                configs:
                  localhost:
                    auth: {username: u, password: p}
                """);
        assertThat(modes(registriesYaml(c, "localhost:5000/app"))).containsExactly(
                "http://127.0.0.1:5001/v2 plain-http", "http://localhost:5000/v2 plain-http");
        assertThat(modes(registriesYaml(c, "localhost/app"))).containsExactly("https://localhost/v2 https");
        var files = ContainerdRender.render(c, false, dir.resolve("out/certs.d")).files();
        assertThat(files).containsKeys("certs.d/localhost:5000/hosts.toml", "certs.d/localhost/hosts.toml");
        assertThat(files.get("certs.d/localhost/hosts.toml")).contains("server = \"https://localhost/v2\"");
    }

    @Test
    void renderedDirectoryGivesTheSamePlanAsRegistriesYaml() throws Exception {
        RegistriesConfig c = yaml("mirrors:\n  localhost:\n  docker.io:\n    endpoint: [\"localhost:5000\"]\n");
        Path out = dir.resolve("out");
        ContainerdRender.write(c, false, out);
        for (String image : List.of("localhost/app", "localhost:5000/app", "alpine")) {
            assertThat(modes(hostsDir(out.resolve("certs.d"), image))).as(image)
                    .isEqualTo(modes(registriesYaml(c, image)));
        }
    }
}
