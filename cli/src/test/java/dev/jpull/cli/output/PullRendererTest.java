package dev.jpull.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpull.cli.Samples;
import dev.jpull.cli.option.OutputFormat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PullRendererTest {

    @Test
    void textIsCrictlsTwoLines() {
        assertThat(PullRenderer.render(Samples.pullResult(), "oci:/s", OutputFormat.TEXT).split("\\R", -1)).containsExactly(
                "Digest: " + Samples.INDEX,
                "Image is up to date for " + Samples.CONFIG,
                "");
    }

    @Test
    void jsonHasTheContractFieldsInOrder() throws Exception {
        JsonNode root = new ObjectMapper().readTree(PullRenderer.render(Samples.pullResult(), "containerd:///run/containerd/containerd.sock?namespace=k8s.io", OutputFormat.JSON));

        assertThat(names(root)).containsExactly("reference", "digest", "manifestDigest", "imageId", "platform",
                "endpoint", "blobs", "attempts", "bytesDownloaded", "durationMs", "destination");
        assertThat(root.get("reference").asText()).isEqualTo("docker.io/library/alpine:latest");
        assertThat(root.get("digest").asText()).isEqualTo(Samples.INDEX);
        assertThat(root.get("manifestDigest").asText()).isEqualTo(Samples.MANIFEST);
        assertThat(root.get("imageId").asText()).isEqualTo(Samples.CONFIG);
        assertThat(root.get("platform").asText()).isEqualTo("linux/amd64");
        assertThat(root.get("endpoint").asText()).isEqualTo(Samples.REGISTRY);
        assertThat(root.get("bytesDownloaded").asLong()).isEqualTo(3_625_279);
        assertThat(root.get("durationMs").asLong()).isEqualTo(1234);
        assertThat(root.get("destination").asText())
                .isEqualTo("containerd:///run/containerd/containerd.sock?namespace=k8s.io");
    }

    @Test
    void jsonBlobsCarryTheirEndpointOrNullWhenCached() throws Exception {
        JsonNode blobs = new ObjectMapper().readTree(PullRenderer.json(Samples.pullResult(), "oci:/s")).get("blobs");

        assertThat(blobs).hasSize(3);
        assertThat(names(blobs.get(0))).containsExactly("digest", "size", "mediaType", "endpoint", "cached",
                "resumedAt");
        assertThat(blobs.get(1).get("digest").asText()).isEqualTo(Samples.LAYER1);
        assertThat(blobs.get(1).get("size").asLong()).isEqualTo(3_623_807);
        assertThat(blobs.get(1).get("endpoint").asText()).isEqualTo(Samples.MIRROR);
        assertThat(blobs.get(1).get("cached").asBoolean()).isFalse();
        assertThat(blobs.get(2).get("endpoint").isNull()).isTrue();
        assertThat(blobs.get(2).get("cached").asBoolean()).isTrue();
    }

    @Test
    void jsonBlobsSayWhereADownloadResumedAnEarlierRunsBytes() throws Exception {
        JsonNode blobs = new ObjectMapper().readTree(PullRenderer.json(Samples.pullResult(), "oci:/s",
                java.util.Map.of(Samples.LAYER1, 1_000_000L))).get("blobs");

        assertThat(blobs.get(1).get("resumedAt").asLong()).isEqualTo(1_000_000L);
        assertThat(blobs.get(0).get("resumedAt").asLong()).isZero();
        assertThat(blobs.get(2).get("resumedAt").asLong()).isZero();
    }

    @Test
    void jsonAttemptsUseOutcomeLabels() throws Exception {
        JsonNode attempts = new ObjectMapper().readTree(PullRenderer.json(Samples.pullResult(), "oci:/s")).get("attempts");

        assertThat(attempts).hasSize(2);
        JsonNode failed = attempts.get(0);
        assertThat(names(failed)).containsExactly("endpoint", "target", "outcome", "status", "error", "durationMs");
        assertThat(failed.get("endpoint").asText()).isEqualTo(Samples.MIRROR);
        assertThat(failed.get("target").asText()).isEqualTo("manifest latest");
        assertThat(failed.get("outcome").asText()).isEqualTo("server-error");
        assertThat(failed.get("status").asInt()).isEqualTo(503);
        assertThat(failed.get("error").asText()).isEqualTo("UNAVAILABLE: try later");
        assertThat(attempts.get(1).get("outcome").asText()).isEqualTo("ok");
        assertThat(attempts.get(1).get("error").isNull()).isTrue();
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
