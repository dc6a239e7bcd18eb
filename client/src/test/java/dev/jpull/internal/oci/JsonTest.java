package dev.jpull.internal.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shared mapper binds the OCI types as strictly as Go's encoding/json: no coercion between JSON types. */
class JsonTest {
    private static final String D = "sha256:" + "a".repeat(64);

    private static String descriptor(String size, String digest) {
        return "{\"mediaType\":\"m/x\",\"digest\":" + digest + ",\"size\":" + size + "}";
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"12\"", "12.5", "1e3", "null", "true", "\"\""})
    void aSizeThatIsNotAnIntegerIsRefused(String size) {
        assertThatThrownBy(() -> Json.MAPPER.readValue(descriptor(size, "\"" + D + "\""), Descriptor.class))
                .isInstanceOf(MismatchedInputException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "5.5", "true"})
    void aStringFieldThatIsNotAStringIsRefused(String digest) {
        assertThatThrownBy(() -> Json.MAPPER.readValue(descriptor("1", digest), Descriptor.class))
                .isInstanceOf(MismatchedInputException.class);
    }

    @org.junit.jupiter.api.Test
    void wellTypedDescriptorsAndIndexesStillBind() throws Exception {
        assertThat(Json.MAPPER.readValue(descriptor("12", "\"" + D + "\""), Descriptor.class))
                .isEqualTo(Descriptor.of("m/x", D, 12));
        ImageIndex index = Json.MAPPER.readValue("{\"schemaVersion\":2,\"manifests\":[" + descriptor("1", "\"" + D
                + "\"") + "]}", ImageIndex.class);
        assertThat(index.manifests()).hasSize(1);
    }
}
