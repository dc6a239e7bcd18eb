package dev.jpull.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.RegistriesConfig;
import dev.jpull.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code jpull config render --local-mirror HOST:PORT [--format registries-yaml]} (issue 13, point 4). */
class RenderLocalMirrorTest {
    @TempDir
    Path home;

    private Path yaml() throws IOException {
        return Files.writeString(home.resolve("registries.yaml"), """
                mirrors:
                  docker.io:
                    endpoint:
                      - "https://mirror.example.com"
                configs:
                  "mirror.example.com":
                    auth:
                      username: "u"
                      password: "secret"
                """);
    }

    @Test
    void hostsFilesListTheLocalMirrorFirst() throws IOException {
        Path out = home.resolve("out");
        CliRun r = CliRun.run(home, "config", "render", "-c", yaml().toString(), "--local-mirror", "127.0.0.1:5050",
                "--output-dir", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        Path abs = out.toAbsolutePath().normalize();
        assertThat(r.out().lines()).containsExactly(abs.resolve("config.toml").toString(),
                abs.resolve("certs.d/docker.io/hosts.toml").toString(),
                abs.resolve("certs.d/mirror.example.com/hosts.toml").toString(),
                abs.resolve("certs.d/_default/hosts.toml").toString());
        String hub = Files.readString(out.resolve("certs.d/docker.io/hosts.toml"));
        assertThat(hub.indexOf("[host.\"http://127.0.0.1:5050/v2\"]")).isPositive()
                .isLessThan(hub.indexOf("[host.\"https://mirror.example.com/v2\"]"));
    }

    @Test
    void registriesYamlIsWrittenInPlaceWithTheOriginalKeptAsBackup() throws IOException {
        Path file = yaml();
        String original = Files.readString(file);
        CliRun r = CliRun.run(home, "config", "render", "-c", file.toString(), "--local-mirror", "127.0.0.1:5050",
                "--format", "registries-yaml", "--output-dir", home.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(home.resolve("registries.yaml.bak").toString(),
                file.toString());
        assertThat(home.resolve("registries.yaml.bak")).hasContent(original);
        RegistriesConfig rendered = RegistriesConfig.load(file);
        assertThat(rendered.mirrors().get("docker.io").endpoints()).containsExactly("http://127.0.0.1:5050",
                "https://mirror.example.com");
        assertThat(rendered.mirrors().get("*").endpoints()).containsExactly("http://127.0.0.1:5050");
        assertThat(rendered.configs()).isEqualTo(RegistriesConfig.load(home.resolve("registries.yaml.bak")).configs());
        assertThat(r.out() + r.err()).doesNotContain("secret");
    }

    @Test
    void aNonLoopbackLocalMirrorIsAllowedWithAWarning() throws IOException {
        CliRun r = CliRun.run(home, "config", "render", "-c", yaml().toString(), "--local-mirror", "10.1.2.3:5050",
                "--output-dir", home.resolve("out").toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.errLines()).containsExactly("jpull: warning: --local-mirror 10.1.2.3:5050 is not a loopback "
                + "address: containerd sends every pull of the node to it over plain http (jpull serve listens on it "
                + "only with --allow-remote)");
        assertThat(Files.readString(home.resolve("out/certs.d/docker.io/hosts.toml")))
                .contains("[host.\"http://10.1.2.3:5050/v2\"]");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1|--local-mirror '127.0.0.1': expected HOST:PORT, e.g. 127.0.0.1:5050",
        "127.0.0.1:0|--local-mirror '127.0.0.1:0': port '0' is not a number from 1 to 65535",
        "127.0.0.1:99999|--local-mirror '127.0.0.1:99999': port '99999' is not a number from 1 to 65535",
        "http://127.0.0.1:5050|--local-mirror 'http://127.0.0.1:5050': write HOST:PORT without a scheme "
                + "(containerd reaches the local mirror over plain http), e.g. 127.0.0.1:5050",
    })
    void aBadLocalMirrorIsOneLineExitTwoAndWritesNothing(String value, String message) throws IOException {
        Path out = home.resolve("out");
        CliRun r = CliRun.run(home, "config", "render", "-c", yaml().toString(), "--local-mirror", value,
                "--output-dir", out.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("jpull: " + message);
        assertThat(r.out()).isEmpty();
        assertThat(out).doesNotExist();
    }

    @Test
    void controlCharactersOfABadLocalMirrorAreShownEscaped() throws IOException {
        CliRun r = CliRun.run(home, "config", "render", "-c", yaml().toString(), "--local-mirror", "a\u001bb\nc:5050",
                "--output-dir", home.resolve("out").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).doesNotContain("\u001b").contains("\\x1b");
    }

    @Test
    void registriesYamlNeedsTheLocalMirrorAndTakesNoK3sFlag() throws IOException {
        CliRun r = CliRun.run(home, "config", "render", "-c", yaml().toString(), "--format", "registries-yaml",
                "--output-dir", home.resolve("out").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("jpull: --format registries-yaml needs --local-mirror HOST:PORT "
                + "(without it K3s reads the registries.yaml as it is)");
        CliRun d = CliRun.run(home, "config", "render", "-c", yaml().toString(), "--format", "registries-yaml",
                "--local-mirror", "127.0.0.1:5050", "--disable-default-endpoint", "--output-dir",
                home.resolve("out").toString());
        assertThat(d.exitCode()).isEqualTo(2);
        assertThat(d.err()).startsWith("jpull: --disable-default-endpoint is a K3s flag");
        CliRun f = CliRun.run(home, "config", "render", "--format", "yaml", "--output-dir",
                home.resolve("out").toString());
        assertThat(f.exitCode()).isEqualTo(2);
        assertThat(f.err()).contains("'yaml' is not a render format (expected containerd or registries-yaml)");
        assertThat(home.resolve("out")).doesNotExist();
    }
}
