package dev.jpull.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpull.DigestResult;
import dev.jpull.ImageInfo;
import dev.jpull.ImageLayer;
import dev.jpull.InspectResult;
import dev.jpull.TagList;
import dev.jpull.cli.option.OutputFormat;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** inspect's summary and JSON, digest's and tags' output: skopeo's names, and no raw control character of a server. */
class InspectRendererTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String D = "sha256:" + "1".repeat(64);

    private static InspectResult hostile() {
        ImageInfo info = new ImageInfo(D, "2024-01-02T03:04:05Z", null, null, "amd64", "linux", null,
                List.of("A=\u001b[31mred"), List.of("/bin/entry"), List.of("-c", "x"), "/", null,
                Map.of("evil\u001b]0;title\u0007", "v\r\nDigest: sha256:forged"),
                List.of(new ImageLayer(D, 1234, "application/vnd.oci.image.layer.v1.tar+gzip", Map.of())));
        return new InspectResult("127.0.0.1:5000/team/app:1.0", D, "application/vnd.oci.image.manifest.v1+json",
                "{}".getBytes(StandardCharsets.UTF_8), List.of(), D, "application/vnd.oci.image.manifest.v1+json",
                "{}".getBytes(StandardCharsets.UTF_8), info, "http://127.0.0.1:5000/v2", List.of());
    }

    @Test
    void jsonHasSkopeosFieldNamesAndEscapedValues() throws Exception {
        String out = InspectRenderer.render(hostile(), OutputFormat.JSON);
        JsonNode n = JSON.readTree(out);
        assertThat(n.path("Name").asText()).isEqualTo("127.0.0.1:5000/team/app");
        assertThat(n.path("Digest").asText()).isEqualTo(D);
        assertThat(n.path("Layers").get(0).asText()).isEqualTo(D);
        assertThat(n.path("LayersData").get(0).path("Size").asLong()).isEqualTo(1234);
        assertThat(n.path("LayersData").get(0).path("Annotations").isNull()).isTrue();
        assertThat(n.path("Entrypoint").get(0).asText()).isEqualTo("/bin/entry");
        assertThat(n.has("Platforms")).isFalse();
        assertThat(n.path("Env").get(0).asText()).doesNotContain("\u001b").contains("\\x1b");
        assertThat(n.path("Labels").fieldNames().next()).doesNotContain("\u001b").doesNotContain("\u0007");
        assertThat(n.path("attempts").isArray()).isTrue();
    }

    @Test
    void theSummaryEscapesServerText() {
        String out = InspectRenderer.render(hostile(), OutputFormat.TEXT);
        assertThat(out).doesNotContain("\u001b").doesNotContain("\r").doesNotContain("\u0007")
                .contains("Layers:\n  " + D + "  1.234kB  application/vnd.oci.image.layer.v1.tar+gzip\n")
                .containsPattern("(?m)^Cmd: +\\[\"-c\",\"x\"]$").containsPattern("(?m)^Platform: +linux/amd64$");
        assertThat(out.lines()).noneMatch(l -> l.startsWith("Digest: sha256:forged"));
    }

    @Test
    void digestIsOneLineAndTagsOneTagALine() throws Exception {
        DigestResult d = new DigestResult("r", D, "m", "http://e/v2", List.of());
        assertThat(QueryRenderer.digest(d, OutputFormat.TEXT)).isEqualTo(D + System.lineSeparator());
        assertThat(JSON.readTree(QueryRenderer.digest(d, OutputFormat.JSON)).path("endpoint").asText())
                .isEqualTo("http://e/v2");
        TagList t = new TagList("repo", List.of("1.0", "latest"), "http://e/v2", List.of());
        assertThat(QueryRenderer.tags(t, OutputFormat.TEXT)).isEqualTo("1.0\nlatest\n".replace("\n",
                System.lineSeparator()));
        assertThat(JSON.readTree(QueryRenderer.tags(t, OutputFormat.JSON)).path("tags").size()).isEqualTo(2);
    }
}
