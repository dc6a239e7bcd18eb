package dev.jpull.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpull.ConfigException;
import dev.jpull.ConfigWarning;
import dev.jpull.Endpoint;
import dev.jpull.EndpointPlan;
import dev.jpull.ImageReference;
import dev.jpull.RegistriesConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PlanSource}'s factories: each picks its source's rules, and every source reports its warnings typed, with
 * file, line and column, in the plan (once per plan, however often it is resolved).
 */
class PlanSourceTest {
    private static final ImageReference ALPINE = ImageReference.parse("alpine");

    @TempDir
    Path tmp;

    private static java.util.List<String> urls(EndpointPlan plan) {
        return plan.endpoints().stream().map(Endpoint::baseUrl).toList();
    }

    @Test
    void registriesYamlUsesK3sRulesAndReportsTheFileAndResolutionWarnings() throws IOException {
        Path yaml = Files.writeString(tmp.resolve("registries.yaml"), """
                mirrors:
                  docker.io:
                    endpoint:
                      - https://mirror.example.com
                      - https://mirror.example.com/v2
                mirorrs: {}
                """);
        PlanSource source = PlanSource.registriesYaml(yaml, false);
        EndpointPlan plan = source.resolve(ALPINE);
        // K3s: mirror, duplicate dropped, then the registry's own endpoint
        assertThat(urls(plan)).containsExactly("https://mirror.example.com/v2", "https://registry-1.docker.io/v2");
        assertThat(plan.warnings()).extracting(ConfigWarning::file).containsOnly(yaml);
        assertThat(plan.warnings()).extracting(w -> w.line() + ":" + w.column()).containsExactly("6:1", "5:9");
        assertThat(plan.warnings().get(0).message()).contains("mirorrs");
        assertThat(plan.warnings().get(1).message()).contains("skipping duplicate endpoint");
        assertThat(source.resolve(ALPINE).warnings()).as("the same warnings in every plan, each once")
                .isEqualTo(plan.warnings());
        assertThat(urls(PlanSource.registriesYaml(yaml, true).resolve(ALPINE)))
                .containsExactly("https://mirror.example.com/v2");
        assertThat(PlanSource.registries(RegistriesConfig.load(yaml), false).resolve(ALPINE)).isEqualTo(plan);
    }

    @Test
    void hostsDirUsesContainerdRulesAndReportsTheHostsTomlWarnings() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("certs.d/docker.io"));
        Path toml = Files.writeString(dir.resolve("hosts.toml"), """
                server = "https://registry-1.docker.io"
                [host."https://mirror.example.com"]
                  capabilities = ["pull", "resolve"]
                  plain_http = true
                """);
        EndpointPlan plan = PlanSource.hostsDir(tmp.resolve("certs.d")).resolve(ALPINE);
        assertThat(urls(plan)).containsExactly("https://mirror.example.com/v2", "https://registry-1.docker.io/v2");
        assertThat(plan.endpoints().get(0).namespace()).isEqualTo("docker.io");
        assertThat(plan.warnings()).singleElement().satisfies(w -> {
            assertThat(w.file()).isEqualTo(toml);
            assertThat(w.message()).contains("unknown key 'plain_http'");
        });
        assertThatThrownBy(() -> PlanSource.hostsDir(tmp.resolve("nope"))).isInstanceOf(ConfigException.class)
                .hasMessage(tmp.resolve("nope") + ": no such directory");
    }

    @Test
    void containerdConfigUsesCriRulesAndReportsTheConfigWarningsWithPositions() throws IOException {
        Path toml = Files.writeString(tmp.resolve("config.toml"), """
                version = 2
                [plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]
                  endpoint = [
                    "http://127.0.0.1:99999",
                    "https://mirror.example.com",
                  ]
                [plugins.cri.registry.mirrors."quay.io"]
                  endpoint = ["https://q.example.com"]
                """);
        EndpointPlan plan = PlanSource.containerdConfig(toml).resolve(ALPINE);
        // the CRI plugin: no K3s normalisation, the registry's own endpoint appended
        assertThat(urls(plan)).containsExactly("https://mirror.example.com/v2", "https://registry-1.docker.io/v2");
        assertThat(plan.warnings()).extracting(ConfigWarning::file).containsOnly(toml);
        assertThat(plan.warnings()).hasSize(2);
        assertThat(plan.warnings().get(0).message()).contains("plugins.cri.registry is ignored");
        ConfigWarning invalid = plan.warnings().get(1);
        assertThat(invalid.line() + ":" + invalid.column()).isEqualTo("4:5");
        assertThat(invalid.message()).contains("ignoring invalid endpoint \"http://127.0.0.1:99999\"");
    }

    @Test
    void malformedFilesAreErrorsWhenTheSourceIsMade() throws IOException {
        Path yaml = Files.writeString(tmp.resolve("bad.yaml"), "mirrors: [\n");
        assertThatThrownBy(() -> PlanSource.registriesYaml(yaml, false)).isInstanceOf(ConfigException.class);
        Path toml = Files.writeString(tmp.resolve("bad.toml"), "version = \n");
        assertThatThrownBy(() -> PlanSource.containerdConfig(toml)).isInstanceOf(ConfigException.class);
    }
}
