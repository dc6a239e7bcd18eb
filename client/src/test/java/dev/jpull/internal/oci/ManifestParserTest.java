package dev.jpull.internal.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Validation of manifests as containerd decodes them (Go {@code encoding/json} into {@code int64}, {@code string},
 * {@code map[string]string}), with messages in the manifest's terms: a field path, the expected type, what was
 * there. Never Jackson's internals.
 */
class ManifestParserTest {
    static final String D1 = "sha256:" + "a".repeat(64);
    static final String D2 = "sha256:" + "b".repeat(64);
    static final String LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    static final String CONFIG = "application/vnd.oci.image.config.v1+json";

    /** An OCI image manifest with {@code size} of the second layer written as given (JSON text). */
    static String manifest(String configJson, String layersJson) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":" + configJson
                + ",\"layers\":" + layersJson + "}";
    }

    static String descriptor(String mediaType, String digest, String size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    static String good() {
        return manifest(descriptor(CONFIG, D1, "10"), "[" + descriptor(LAYER, D2, "20") + "]");
    }

    private static ManifestDocument parse(String json) throws InvalidManifestException {
        return ManifestParser.parse(json.getBytes(StandardCharsets.UTF_8), null);
    }

    @Test
    void readsAValidManifestAndIndex() throws InvalidManifestException {
        ManifestDocument m = parse(good());
        assertThat(m.isIndex()).isFalse();
        assertThat(m.manifest().config()).isEqualTo(Descriptor.of(CONFIG, D1, 10));
        assertThat(m.manifest().layers()).containsExactly(Descriptor.of(LAYER, D2, 20));

        String index = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"digest\":\"" + D1 + "\",\"size\":9223372036854775807,\"platform\":{\"os\":\"linux\","
                + "\"architecture\":\"arm64\",\"variant\":\"v8\",\"os.features\":[\"x\"]}}],\"extra\":[1,2]}";
        ManifestDocument i = parse(index);
        assertThat(i.isIndex()).isTrue();
        assertThat(i.mediaType()).isEqualTo(MediaTypes.OCI_INDEX); // no mediaType: told apart by its fields
        assertThat(i.index().manifests().get(0).size()).isEqualTo(Long.MAX_VALUE);
        assertThat(i.index().manifests().get(0).platform().toString()).isEqualTo("linux/arm64/v8");
    }

    @Test
    void theContentTypeGivesTheTypeWhenTheBodyHasNoMediaType() throws InvalidManifestException {
        String noType = good().replace("\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",", "");
        ManifestDocument m = ManifestParser.parse(noType.getBytes(StandardCharsets.UTF_8),
                MediaTypes.DOCKER_MANIFEST + "; charset=utf-8");
        assertThat(m.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
    }

    @Test
    void sha512AndSha384DigestsAreAcceptedAsContainerdAcceptsThem() throws InvalidManifestException {
        String sha512 = "sha512:" + "c".repeat(128);
        String sha384 = "sha384:" + "d".repeat(96);
        ManifestDocument m = parse(manifest(descriptor(CONFIG, sha512, "1"), "[" + descriptor(LAYER, sha384, "2")
                + "]"));
        assertThat(m.manifest().config().digest()).isEqualTo(sha512);
        assertThat(m.manifest().layers().get(0).digest()).isEqualTo(sha384);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
        // sizes: Go's encoding/json into int64 refuses strings, fractions, exponents and values past 2^63-1
        "1093602.5               | invalid image manifest: layers[1].size: expected an integer (int64), got the number 1093602.5",
        "\"1093602\"           | invalid image manifest: layers[1].size: expected an integer (int64), got a string \"1093602\"",
        "1e3                     | invalid image manifest: layers[1].size: expected an integer (int64), got the number 1000.0",
        "1.0                     | invalid image manifest: layers[1].size: expected an integer (int64), got the number 1.0",
        "9223372036854775808     | invalid image manifest: layers[1].size: integer 9223372036854775808 does not fit in 64 bits (int64)",
        "-1                      | invalid image manifest: layers[1].size: expected a non-negative integer, got -1",
        "null                    | invalid image manifest: layers[1].size: missing (expected the size in bytes (a non-negative integer))",
        "true                    | invalid image manifest: layers[1].size: expected an integer (int64), got true",
        "{}                      | invalid image manifest: layers[1].size: expected an integer (int64), got an object",
    })
    void sizeMustBeANonNegativeInt64(String size, String message) {
        String json = manifest(descriptor(CONFIG, D1, "1"), "[" + descriptor(LAYER, D2, "2") + ","
                + descriptor(LAYER, D2, size) + "]");
        assertThatThrownBy(() -> parse(json)).isInstanceOf(InvalidManifestException.class).hasMessage(message);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
        // what is replaced in the good manifest | the message
        ",\"size\":10 =>                           | invalid image manifest: config.size: missing",
        "\"digest\":\"" + "sha256:" + "aaaa => \"digest\":\"sha256:ab  | config.digest: \"sha256:ab",
        "\"config\":{ => \"nothing\":{              | invalid image manifest: config: missing (expected the config descriptor)",
        "\"schemaVersion\":2 => \"schemaVersion\":3 | invalid image manifest: schemaVersion: expected 2, got 3",
        "\"schemaVersion\":2 => \"schemaVersion\":\"2\" | invalid image manifest: schemaVersion: expected an integer (int64), got a string \"2\"",
        "\"schemaVersion\":2, =>                    | invalid image manifest: schemaVersion: missing (expected an integer)",
        "\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\", =>  | invalid image manifest: layers[0].mediaType: missing (expected a string)",
        "\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\" => \"mediaType\":\"gzip\" | invalid image manifest: layers[0].mediaType: \"gzip\" is not a media type",
        "\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\" => \"mediaType\":7 | invalid image manifest: layers[0].mediaType: expected a string, got the number 7",
        "\"layers\":[ => \"layers\":\"none\",\"other\":[ | invalid image manifest: layers: expected an array, got a string \"none\"",
        "\"size\":20} => \"size\":20},\"oops\" | invalid image manifest: layers[1]: expected a descriptor (a JSON object), got a string \"oops\"",
        "\"size\":20} => \"size\":20,\"annotations\":{\"a\":1}} | invalid image manifest: layers[0].annotations[\"a\"]: expected a string, got the number 1",
        "\"size\":20} => \"size\":20,\"urls\":\"http://x\"} | invalid image manifest: layers[0].urls: expected an array, got a string",
        "\"size\":20} => \"size\":20,\"platform\":{\"os\":1}} | invalid image manifest: layers[0].platform.os: expected a string, got the number 1",
        "\"config\": => \"manifests\":[],\"config\": | must not have \"manifests\"",
        "\"digest\":\"" + "sha256:" + "bbbb => \"digest\":\"md5:bbbb | layers[0].digest: \"md5:bbbb",
    })
    void invalidManifestsAreNamedInTheManifestsTerms(String change, String message) {
        String[] fromTo = change.split("=>", 2);
        String json = good().replace(fromTo[0].strip(), fromTo[1].strip());
        assertThat(json).isNotEqualTo(good());
        assertThatThrownBy(() -> parse(json)).isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("dev.jpull")
                        .doesNotContainIgnoringCase("creator").doesNotContain("Jackson"));
    }

    @Test
    void anUnsupportedDigestAlgorithmSaysWhichOnesAre() {
        String json = good().replace(D2, "md5:" + "b".repeat(32));
        assertThatThrownBy(() -> parse(json)).hasMessage("invalid image manifest: layers[0].digest: \"md5:"
                + "b".repeat(32) + "\": unsupported digest algorithm \"md5\" (jpull, like containerd, verifies "
                + "sha256, sha384 and sha512)");
    }

    @Test
    void indexesNeedManifestsAndNoConfig() {
        assertThatThrownBy(() -> parse("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\"}"))
                .hasMessage("invalid index: manifests: missing (expected an array of manifest descriptors)");
        assertThatThrownBy(() -> parse("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX
                + "\",\"manifests\":[],\"layers\":[]}")).hasMessageContaining("an index (" + MediaTypes.OCI_INDEX
                + ") must not have \"layers\"");
        assertThatThrownBy(() -> parse("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"digest\":\"" + D1 + "\",\"size\":1,\"platform\":{\"architecture\":[\"amd64\"]}}]}"))
                .hasMessage("invalid index: manifests[0].platform.architecture: expected a string, got an array");
    }

    /**
     * Duplicate keys: Go's encoding/json (containerd) silently keeps the last value, and merges duplicate objects
     * field by field, so such a manifest means different things to different parsers. No tool writes them; jpull
     * refuses them rather than guessing which one a reader will use. Keys that differ from a field only in case are
     * refused for the same reason (Go would read {@code "Config"} as {@code config}).
     */
    @Test
    void duplicateAndCaseVariantKeysAreRefusedAsAmbiguous() {
        String dup = good().replace("\"layers\":", "\"config\":" + descriptor(CONFIG, D2, "3") + ",\"layers\":");
        assertThatThrownBy(() -> parse(dup)).isInstanceOf(InvalidManifestException.class)
                .hasMessageStartingWith("manifest has a duplicate key \"config\"")
                .hasMessageContaining("containerd would use the last one");
        String nested = good().replace("\"size\":20}", "\"size\":20,\"size\":21}");
        assertThatThrownBy(() -> parse(nested)).hasMessageStartingWith("manifest has a duplicate key \"size\" in layers[0] (line 1, column");
        String caseVariant = good().replace("\"layers\":", "\"Layers\":[],\"layers\":");
        assertThatThrownBy(() -> parse(caseVariant)).hasMessage("invalid image manifest: Layers: key differs from "
                + "\"layers\" only in letter case (containerd would read it as \"layers\"); refusing an ambiguous "
                + "manifest");
    }

    @Test
    void notJsonTrailingContentAndNonObjectsAreRefused() {
        assertThatThrownBy(() -> parse(good() + " {}")).hasMessageStartingWith("manifest body is not JSON");
        assertThatThrownBy(() -> parse("{\"schemaVersion\":")).hasMessageStartingWith("manifest body is not JSON");
        assertThatThrownBy(() -> parse("[1]")).hasMessage("manifest body is not a JSON object");
        assertThatThrownBy(() -> parse("{\"schemaVersion\":1,\"fsLayers\":[]}"))
                .hasMessageContaining("Docker schema 1 manifests are not supported");
    }
}
