package dev.jpull.cli.option;

import dev.jpull.cli.CliRun;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --hosts-dir}, {@code --containerd-config} and {@code jpull config render}, in process. */
class ContainerdOptionsTest {
    private static final Path EXAMPLES = Path.of("..", "testdata", "k3s");

    @TempDir
    Path home;

    private Path hosts(String dirName, String toml) throws IOException {
        Path dir = Files.createDirectories(home.resolve("certs.d").resolve(dirName));
        Files.writeString(dir.resolve("hosts.toml"), toml);
        return dir.resolve("hosts.toml");
    }

    @Test
    void resolveWithHostsDir() throws IOException {
        Path file = hosts("docker.io", """
                server = "https://registry-1.docker.io"
                [host."https://mirror.example.com"]
                  capabilities = ["pull", "resolve"]
                  [host."https://mirror.example.com".header]
                    x-a = "1"
                """);
        CliRun r = CliRun.run(home, "resolve", "--hosts-dir", home.resolve("certs.d").toString(), "alpine");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("""
                #  URL                              REPOSITORY      CREDENTIALS  TLS    DEFAULT  NS
                1  https://mirror.example.com/v2    library/alpine  none         https  no       docker.io
                2  https://registry-1.docker.io/v2  library/alpine  none         https  yes      -
                """);
        assertThat(r.errLines()).containsExactly("jpull: warning: " + file
                + ": host.\"https://mirror.example.com\".header: jpull does not send extra request headers; ignored");
    }

    @Test
    void resolveWithContainerdConfigBothSpellings() throws IOException {
        Path v2 = home.resolve("v2.toml");
        Files.writeString(v2, """
                version = 2
                [plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]
                  endpoint = ["https://mirror.example.com"]
                """);
        Path v1 = home.resolve("v1.toml");
        Files.writeString(v1, """
                [plugins.cri.registry.mirrors."docker.io"]
                  endpoint = ["https://mirror.example.com"]
                """);
        CliRun a = CliRun.run(home, "resolve", "-o", "json", "--containerd-config", v2.toString(), "alpine");
        CliRun b = CliRun.run(home, "resolve", "-o", "json", "--containerd-config", v1.toString(), "alpine");
        assertThat(a.exitCode()).isZero();
        assertThat(a.err()).isEmpty();
        assertThat(a.out()).isEqualTo(b.out()).contains("\"url\" : \"https://mirror.example.com/v2\"");
    }

    @Test
    void sourcesAreExclusive() throws IOException {
        Files.createDirectories(home.resolve("certs.d"));
        CliRun r = CliRun.run(home, "resolve", "--hosts-dir", home.resolve("certs.d").toString(),
                "--containerd-config", "x.toml", "alpine");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("jpull: --hosts-dir and --containerd-config cannot be used together");
        CliRun c = CliRun.run(home, "resolve", "--hosts-dir", home.resolve("certs.d").toString(),
                "-c", "r.yaml", "alpine");
        assertThat(c.exitCode()).isEqualTo(2);
        assertThat(c.err()).startsWith("jpull: --hosts-dir and --config cannot be used together");
        CliRun missing = CliRun.run(home, "resolve", "--hosts-dir", home.resolve("nope").toString(), "alpine");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).startsWith("jpull: --hosts-dir " + home.resolve("nope") + ": no such directory");
    }

    @Test
    void malformedHostsTomlIsAConfigurationError() throws IOException {
        Path file = hosts("docker.io", "server = \n");
        CliRun r = CliRun.run(home, "pull", "--hosts-dir", home.resolve("certs.d").toString(), "alpine");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("jpull: " + file + ":1:");
        assertThat(r.err()).contains("invalid TOML");
    }

    @Test
    void renderThenResolveThroughTheRenderedDirectoryGivesTheSamePlan() {
        Path out = home.resolve("rendered");
        Path yaml = EXAMPLES.resolve("mirror-basic.yaml");
        CliRun render = CliRun.run(home, "config", "render", "-c", yaml.toString(), "--output-dir", out.toString());
        assertThat(render.exitCode()).isZero();
        assertThat(render.err()).isEmpty();
        Path abs = out.toAbsolutePath().normalize();
        assertThat(render.out().lines()).containsExactly(abs.resolve("config.toml").toString(),
                abs.resolve("certs.d/mycustomreg.com/hosts.toml").toString());

        String image = "mycustomreg.com/coredns-coredns:1.6.3";
        CliRun fromYaml = CliRun.run(home, "resolve", "-c", yaml.toString(), image);
        CliRun fromHosts = CliRun.run(home, "resolve", "--hosts-dir", out.resolve("certs.d").toString(), image);
        CliRun fromConfig = CliRun.run(home, "resolve", "--containerd-config", out.resolve("config.toml").toString(),
                image);
        assertThat(fromYaml.out()).contains("https://mycustomreg.com:5000/v2");
        assertThat(fromHosts.out()).isEqualTo(fromYaml.out()).isEqualTo(fromConfig.out());
    }

    @Test
    void renderWarnsAboutWhatUpstreamContainerdIgnores() {
        Path yaml = EXAMPLES.resolve("rewrite.yaml");
        CliRun r = CliRun.run(home, "config", "render", "-c", yaml.toString(), "--output-dir",
                home.resolve("o").toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.errLines()).containsExactly("jpull: warning: " + yaml + ":8:7: mirrors.\"docker.io\": rewrite "
                + "tables are honoured only by K3s's containerd; upstream containerd ignores them");
    }

    @Test
    void configNeedsASubcommandAndRenderAnOutputDir() {
        CliRun r = CliRun.run(home, "config");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("jpull: missing COMMAND for 'jpull config'");
        CliRun s = CliRun.run(home, "config", "render");
        assertThat(s.exitCode()).isEqualTo(2);
        assertThat(s.err()).contains("--output-dir");
    }
}
