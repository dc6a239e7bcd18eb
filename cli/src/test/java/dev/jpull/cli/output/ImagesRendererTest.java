package dev.jpull.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpull.ImageSummary;
import dev.jpull.cli.option.OutputFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImagesRendererTest {
    private static final String M = "sha256:" + "ab".repeat(32);
    private static final String C = "sha256:" + "0123456789".repeat(6) + "cdef";

    private static final List<ImageSummary> IMAGES = List.of(
            new ImageSummary("docker.io/library/alpine:3.20", M, C, 3_623_000, "linux/amd64"),
            new ImageSummary("127.0.0.1:5000/x:1", M, null, 0, null));

    @Test
    void tableAlignsColumnsAndShortensDigestsLikeCrictl() {
        assertThat(ImagesRenderer.render(IMAGES, OutputFormat.TEXT, false).lines()).containsExactly(
                "REFERENCE                       DIGEST          IMAGE ID        PLATFORM      SIZE",
                "docker.io/library/alpine:3.20   ababababababa   0123456789012   linux/amd64   3.623MB",
                "127.0.0.1:5000/x:1              ababababababa   <none>          <none>        -");
    }

    @Test
    void noTruncShowsWholeDigests() {
        String table = ImagesRenderer.render(IMAGES, OutputFormat.TEXT, true);
        assertThat(table.lines().skip(1).findFirst().orElseThrow()).contains(M).contains(C);
    }

    @Test
    void anEmptyStoreIsJustTheHeader() {
        assertThat(ImagesRenderer.render(List.of(), OutputFormat.TEXT, false).lines())
                .containsExactly("REFERENCE   DIGEST   IMAGE ID   PLATFORM   SIZE");
    }

    @Test
    void jsonHasEveryField() throws Exception {
        JsonNode root = new ObjectMapper().readTree(ImagesRenderer.render(IMAGES, OutputFormat.JSON, false));
        assertThat(root.path("images")).hasSize(2);
        JsonNode first = root.path("images").get(0);
        assertThat(first.path("reference").asText()).isEqualTo("docker.io/library/alpine:3.20");
        assertThat(first.path("manifestDigest").asText()).isEqualTo(M);
        assertThat(first.path("imageId").asText()).isEqualTo(C);
        assertThat(first.path("platform").asText()).isEqualTo("linux/amd64");
        assertThat(first.path("size").asLong()).isEqualTo(3_623_000);
        assertThat(root.path("images").get(1).path("imageId").isNull()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"0,0B", "812,812B", "1000,1kB", "1234,1.234kB", "5120000,5.12MB", "999999,1MB",
        "7377000000,7.377GB"})
    void humanSizeUsesDecimalUnitsAndFourDigits(long bytes, String expected) {
        assertThat(Sizes.human(bytes)).isEqualTo(expected);
    }
}
