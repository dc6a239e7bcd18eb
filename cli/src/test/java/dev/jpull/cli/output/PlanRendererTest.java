package dev.jpull.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpull.cli.option.OutputFormat;
import dev.jpull.AuthConfig;
import dev.jpull.RegistryConfig;
import dev.jpull.ImageReference;
import dev.jpull.Endpoint;
import dev.jpull.EndpointPlan;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanRendererTest {
    private static final String SECRET = "s3cr3t-password";

    private static EndpointPlan plan() {
        RegistryConfig mirrorConfig = new RegistryConfig(new AuthConfig("bob", SECRET, null, null), null);
        return new EndpointPlan(new ImageReference("docker.io", "library/alpine", "latest", null), List.of(
                new Endpoint("https", "mirror.example.com", "/v2", "mirrored/library/alpine", "docker.io",
                        mirrorConfig, "mirror.example.com", false, "docker.io"),
                new Endpoint("http", "172.31.6.200:5000", "/v2", "library/alpine", null, RegistryConfig.EMPTY,
                        null, false, "*"),
                new Endpoint("https", "registry-1.docker.io", "/v2", "library/alpine", null, RegistryConfig.EMPTY,
                        null, true, null)));
    }

    @Test
    void textIsATableInPlanOrder() {
        assertThat(PlanRenderer.render(plan(), OutputFormat.TEXT).split("\\R")).containsExactly(
                "#  URL                              REPOSITORY               CREDENTIALS  TLS         DEFAULT  NS",
                "1  https://mirror.example.com/v2    mirrored/library/alpine  basic        https       no       docker.io",
                "2  http://172.31.6.200:5000/v2      library/alpine           none         plain-http  no       -",
                "3  https://registry-1.docker.io/v2  library/alpine           none         https       yes      -");
    }

    @Test
    void textLeavesOutTheNamespaceColumnWhenNoEndpointHasOne() {
        EndpointPlan plan = new EndpointPlan(new ImageReference("docker.io", "library/alpine", "latest", null),
                List.of(new Endpoint("https", "registry-1.docker.io", "/v2", "library/alpine", null,
                        RegistryConfig.EMPTY, null, true, null)));

        assertThat(PlanRenderer.text(plan).split("\\R")).containsExactly(
                "#  URL                              REPOSITORY      CREDENTIALS  TLS    DEFAULT",
                "1  https://registry-1.docker.io/v2  library/alpine  none         https  yes");
    }

    @Test
    void jsonListsEveryEndpointWithoutSecrets() throws Exception {
        String json = PlanRenderer.render(plan(), OutputFormat.JSON);
        JsonNode root = new ObjectMapper().readTree(json);

        assertThat(json).doesNotContain(SECRET);
        assertThat(root.get("reference").asText()).isEqualTo("docker.io/library/alpine:latest");
        JsonNode first = root.get("endpoints").get(0);
        assertThat(first.get("url").asText()).isEqualTo("https://mirror.example.com/v2");
        assertThat(first.get("repository").asText()).isEqualTo("mirrored/library/alpine");
        assertThat(first.get("namespace").asText()).isEqualTo("docker.io");
        assertThat(first.get("credentials").asText()).isEqualTo("basic");
        assertThat(first.get("tls").asText()).isEqualTo("https");
        assertThat(first.get("default").asBoolean()).isFalse();
        assertThat(first.get("mirror").asText()).isEqualTo("docker.io");
        assertThat(first.get("configKey").asText()).isEqualTo("mirror.example.com");
        JsonNode last = root.get("endpoints").get(2);
        assertThat(last.get("default").asBoolean()).isTrue();
        assertThat(last.get("mirror").isNull()).isTrue();
        assertThat(last.get("namespace").isNull()).isTrue();
        assertThat(root.get("endpoints")).hasSize(3);
    }

    @Test
    void textNeverShowsSecrets() {
        assertThat(PlanRenderer.text(plan())).doesNotContain(SECRET).doesNotContain("bob");
    }
}
