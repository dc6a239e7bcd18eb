package dev.jpull.testdata;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGeneratorIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void singlePlatformImageIsDeterministicAndSelfConsistent(@TempDir Path a, @TempDir Path b) throws Exception {
        Image img = new ImageGenerator(3).singlePlatform(a, "app:1", 3, 10_000);
        Image again = new ImageGenerator(3).singlePlatform(b, "app:1", 3, 10_000);
        assertThat(again.manifestDigest()).isEqualTo(img.manifestDigest());
        assertThat(new ImageGenerator(4).singlePlatform(b, "other", 3, 10_000).manifestDigest())
                .isNotEqualTo(img.manifestDigest());

        assertThat(img.layers()).hasSize(3);
        assertThat(img.layerDigests()).doesNotHaveDuplicates();
        JsonNode manifest = JSON.readTree(blob(img, img.manifestDigest()));
        assertThat(manifest.get("config").get("digest").asText()).isEqualTo(img.configDigest());
        JsonNode config = JSON.readTree(blob(img, img.configDigest()));
        assertThat(config.get("architecture").asText()).isEqualTo("amd64");
        assertThat(config.get("os").asText()).isEqualTo("linux");
        assertThat(config.get("history")).hasSize(3);
        for (int i = 0; i < 3; i++) {
            Layer l = img.layers().get(i);
            assertThat(manifest.get("layers").get(i).get("digest").asText()).isEqualTo(l.digest());
            assertThat(Files.size(img.blobPath(l.digest()))).isEqualTo(l.size());
            byte[] tar;
            try (InputStream in = new GZIPInputStream(Files.newInputStream(img.blobPath(l.digest())))) {
                tar = in.readAllBytes();
            }
            assertThat(ImageGenerator.digestOf(tar)).isEqualTo(l.diffId());
            assertThat(config.get("rootfs").get("diff_ids").get(i).asText()).isEqualTo(l.diffId());
            assertThat(tar.length).isGreaterThan(10_000);
        }
        assertThat(img.blobBytes()).isGreaterThan(30_000);

        String inspect = Skopeo.inspectLayout(a, "app:1");
        JsonNode info = JSON.readTree(inspect);
        assertThat(info.get("Digest").asText()).isEqualTo(img.manifestDigest());
        assertThat(info.get("Layers")).hasSize(3);
    }

    @Test
    void multiPlatformIndexListsThreeDistinctPlatforms(@TempDir Path dir) throws Exception {
        ImageGenerator gen = new ImageGenerator();
        MultiPlatformImage multi = gen.multiPlatform(dir, "multi");
        gen.singlePlatform(dir, "single", 1, 10);
        MultiPlatformImage replaced = gen.multiPlatform(dir, "multi");

        assertThat(replaced).isEqualTo(multi);
        assertThat(multi.platforms()).containsExactly("linux/amd64", "linux/arm64/v8", "linux/arm/v7");
        assertThat(multi.children()).extracting(Image::manifestDigest).doesNotHaveDuplicates();
        assertThat(multi.children()).extracting(Image::configDigest).doesNotHaveDuplicates();

        JsonNode index = JSON.readTree(Files.readAllBytes(ImageGenerator.blobPath(dir, multi.indexDigest())));
        JsonNode arm = index.get("manifests").get(2);
        assertThat(arm.get("digest").asText()).isEqualTo(multi.child("linux/arm/v7").manifestDigest());
        assertThat(arm.get("platform").get("architecture").asText()).isEqualTo("arm");
        assertThat(arm.get("platform").get("variant").asText()).isEqualTo("v7");
        JsonNode armConfig = JSON.readTree(blob(multi.child("linux/arm/v7"), multi.child("linux/arm/v7").configDigest()));
        assertThat(armConfig.get("architecture").asText()).isEqualTo("arm");

        JsonNode layoutIndex = JSON.readTree(dir.resolve("index.json").toFile());
        assertThat(layoutIndex.get("manifests")).hasSize(2);
        assertThat(layoutIndex.findValuesAsText("org.opencontainers.image.ref.name")).containsExactlyInAnyOrder("single", "multi");
        assertThat(dir.resolve("oci-layout")).content().contains("1.0.0");

        JsonNode info = JSON.readTree(Skopeo.inspectLayout(dir, "multi"));
        assertThat(info.get("Architecture").asText()).isEqualTo("amd64");
    }

    private static byte[] blob(Image img, String digest) throws Exception {
        byte[] bytes = Files.readAllBytes(img.blobPath(digest));
        assertThat(ImageGenerator.digestOf(bytes)).isEqualTo(digest);
        return bytes;
    }
}
