package dev.jpull.internal.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.internal.http.ErrorBody;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shared mapper binds the wire types without reading annotations: the names, the fields left out and the
 * unknown fields ignored are its configuration, and must be what the OCI image spec and the store's readers expect.
 */
class JsonWireTypesTest {
    private static final String D = "sha256:" + "a".repeat(64);

    @Test
    void aPlatformsDottedFieldsKeepTheirSpecNamesBothWays() throws Exception {
        ImageIndex index = new ImageIndex(2, null, List.of(new Descriptor("m", D, 7, null, null,
                new Platform("amd64", "windows", "10.0.17763", List.of("win32k"), null))), null);

        String json = Json.MAPPER.writeValueAsString(index);

        assertThat(json).isEqualTo("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"m\",\"digest\":\"" + D
                + "\",\"size\":7,\"platform\":{\"architecture\":\"amd64\",\"os\":\"windows\","
                + "\"os.version\":\"10.0.17763\",\"os.features\":[\"win32k\"]}}]}");
        assertThat(Json.MAPPER.readValue(json, ImageIndex.class)).isEqualTo(index);
    }

    @Test
    void emptyDescriptorFieldsAndNullIndexFieldsAreLeftOut() throws Exception {
        ImageIndex index = new ImageIndex(2, "application/vnd.oci.image.index.v1+json",
                List.of(new Descriptor("m", D, 1, List.of(), Map.of(), null)), null);

        assertThat(Json.MAPPER.writeValueAsString(index)).isEqualTo("{\"schemaVersion\":2,\"mediaType\":"
                + "\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{\"mediaType\":\"m\",\"digest\":\"" + D
                + "\",\"size\":1}]}");
    }

    @Test
    void unknownFieldsOfEveryWireTypeAreIgnored() throws Exception {
        ImageIndex index = Json.MAPPER.readValue(bytes("{\"schemaVersion\":2,\"future\":{\"x\":1},\"manifests\":[{"
                + "\"mediaType\":\"m\",\"digest\":\"" + D + "\",\"size\":1,\"artifactType\":\"t\",\"platform\":{"
                + "\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\",\"features\":[]}}]}"),
                ImageIndex.class);
        ImageManifest manifest = Json.MAPPER.readValue(bytes("{\"schemaVersion\":2,\"subject\":null,\"config\":{"
                + "\"mediaType\":\"c\",\"digest\":\"" + D + "\",\"size\":2,\"data\":\"e30=\"},\"layers\":[]}"),
                ImageManifest.class);

        assertThat(index.manifests()).singleElement().extracting(Descriptor::platform)
                .isEqualTo(new Platform("arm64", "linux", null, null, "v8"));
        assertThat(manifest.config()).isEqualTo(Descriptor.of("c", D, 2));
        assertThat(ErrorBody.parse(bytes("{\"errors\":[{\"code\":\"DENIED\",\"message\":\"no\",\"detail\":[1]}],"
                + "\"extra\":true}"))).containsExactly(new ErrorBody.Entry("DENIED", "no"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
