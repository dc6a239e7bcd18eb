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

    private static final java.time.Instant NOW = java.time.Instant.parse("2026-12-02T01:00:00Z");

    private static java.util.Map<String, dev.jpull.RememberedEndpoint> remembered() {
        return java.util.Map.of(
                "https://mirror.example.com/v2", new dev.jpull.RememberedEndpoint("https://mirror.example.com/v2",
                        dev.jpull.Outcome.TIMEOUT, NOW.minusSeconds(130), -1, -1),
                "https://registry-1.docker.io/v2", new dev.jpull.RememberedEndpoint(
                        "https://registry-1.docker.io/v2", dev.jpull.Outcome.OK, NOW.minusSeconds(4), 41, 11_900_000),
                "https://other.example/v2", new dev.jpull.RememberedEndpoint("https://other.example/v2",
                        dev.jpull.Outcome.OK, NOW, 1, 1));
    }

    @Test
    void textShowsWhatIsRememberedInALastColumn() {
        assertThat(PlanRenderer.render(plan(), OutputFormat.TEXT, remembered(), NOW).split("\\R")).containsExactly(
                "#  URL                              REPOSITORY               CREDENTIALS  TLS         DEFAULT  NS"
                        + "         REMEMBERED",
                "1  https://mirror.example.com/v2    mirrored/library/alpine  basic        https       no       docker.io"
                        + "  timeout 2m ago",
                "2  http://172.31.6.200:5000/v2      library/alpine           none         plain-http  no       -"
                        + "          -",
                "3  https://registry-1.docker.io/v2  library/alpine           none         https       yes      -"
                        + "          ok 4s ago, rtt 41 ms, 11.9MB/s");
        assertThat(PlanRenderer.render(plan(), OutputFormat.TEXT, java.util.Map.of(), NOW))
                .isEqualTo(PlanRenderer.render(plan(), OutputFormat.TEXT)).doesNotContain("REMEMBERED");
        assertThat(PlanRenderer.ago(NOW.minusSeconds(7200 + 59), NOW)).isEqualTo("2h ago");
        assertThat(PlanRenderer.ago(NOW.plusSeconds(3), NOW)).isEqualTo("0s ago");
    }

    @Test
    void jsonHasARememberedObjectPerEndpointLast() throws Exception {
        JsonNode endpoints = new ObjectMapper().readTree(PlanRenderer.render(plan(), OutputFormat.JSON, remembered(),
                NOW)).get("endpoints");

        JsonNode mirror = endpoints.get(0).get("remembered");
        assertThat(mirror.get("outcome").asText()).isEqualTo("timeout");
        assertThat(mirror.get("healthy").asBoolean()).isFalse();
        assertThat(mirror.get("at").asText()).isEqualTo("2026-12-02T00:57:50Z");
        assertThat(mirror.get("ageMs").asLong()).isEqualTo(130_000);
        assertThat(mirror.get("rttMs").isNull()).isTrue();
        assertThat(mirror.get("bytesPerSecond").isNull()).isTrue();
        assertThat(endpoints.get(1).get("remembered").isNull()).isTrue();
        assertThat(endpoints.get(2).get("remembered").get("rttMs").asLong()).isEqualTo(41);
        for (JsonNode e : endpoints) {
            List<String> names = new java.util.ArrayList<>();
            e.fieldNames().forEachRemaining(names::add);
            assertThat(names.get(names.size() - 1)).isEqualTo("remembered");
        }
    }
}
