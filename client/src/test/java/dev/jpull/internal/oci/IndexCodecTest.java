package dev.jpull.internal.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The streaming codec of the store's {@code index.json} writes what the shared mapper writes, byte for byte, and
 * reads what it bound, as strictly; the cases where it is knowingly stricter are pinned here too.
 */
class IndexCodecTest {
    private static final String D = "sha256:" + "a".repeat(64);
    private static final String M = MediaTypes.OCI_MANIFEST;
    private static final String REF = "org.opencontainers.image.ref.name";

    /** Indexes jpull writes (or could): read(write(x)) gives x back. */
    static Stream<ImageIndex> written() {
        Map<String, String> ordered = new LinkedHashMap<>();
        ordered.put("z", "last key first");
        ordered.put(REF, "docker.io/library/alpine:3.19");
        ordered.put("a", "");
        return Stream.of(
                new ImageIndex(2, MediaTypes.OCI_INDEX, List.of(), null),
                new ImageIndex(2, MediaTypes.OCI_INDEX, List.of(), Map.of("k", "v")),
                new ImageIndex(2, MediaTypes.OCI_INDEX, List.of(), Map.of()),
                new ImageIndex(2, null, List.of(Descriptor.of(M, D, 0)), null),
                new ImageIndex(2, "", List.of(Descriptor.of(M, D, Long.MAX_VALUE)), null),
                new ImageIndex(-1, MediaTypes.OCI_INDEX, List.of(Descriptor.of(null, D, 7)), ordered),
                new ImageIndex(2, MediaTypes.OCI_INDEX, List.of(
                        new Descriptor(M, D, 1234, List.of("https://a.example/b", "u2"), ordered,
                                new Platform("amd64", "windows", "10.0.17763.1", List.of("win32k"), null)),
                        new Descriptor(M, D, 5, null, Map.of(REF, "x"),
                                new Platform("arm64", "linux", null, null, "v8")),
                        new Descriptor(M, D, 6, null, null, new Platform(null, null, null, null, null)),
                        new Descriptor(M, D, 7, null, null, new Platform("", "", "", List.of(), ""))),
                        Map.of("index", "annotation")),
                new ImageIndex(2, "é \u2028 \u0001 \"q\" \\ / < \uD83D\uDE00", List.of(new Descriptor(M, D, 1,
                        List.of("ü"), Map.of("ключ", "значение \t\n"), null)), null));
    }

    /** What the mapper writes that the codec must write too, though read() gives something else back. */
    static Stream<ImageIndex> writtenOnly() {
        Map<String, String> nulls = new LinkedHashMap<>();
        nulls.put("a", null);
        nulls.put("b", "");
        return Stream.of(
                new ImageIndex(0, null, null, null),
                new ImageIndex(2, "", List.of(new Descriptor("", "", 0, List.of(), Map.of(), null)), nulls),
                new ImageIndex(2, null, List.of(new Descriptor(null, null, -5, Arrays.asList(null, ""), nulls,
                        new Platform("amd64", "linux", null, Arrays.asList((String) null), null))), null),
                new ImageIndex(2, null, Arrays.asList(Descriptor.of(M, D, 1), null), null));
    }

    @ParameterizedTest
    @MethodSource({"written", "writtenOnly"})
    void writesWhatTheMapperWrites(ImageIndex index) throws Exception {
        assertThat(new String(IndexCodec.write(index), StandardCharsets.UTF_8))
                .isEqualTo(new String(Json.MAPPER.writeValueAsBytes(index), StandardCharsets.UTF_8));
        assertThat(IndexCodec.write(index)).isEqualTo(Json.MAPPER.writeValueAsBytes(index));
    }

    @ParameterizedTest
    @MethodSource("written")
    void readsBackWhatItWrites(ImageIndex index) throws Exception {
        byte[] bytes = IndexCodec.write(index);

        assertThat(IndexCodec.read(bytes)).isEqualTo(index).isEqualTo(Json.MAPPER.readValue(bytes, ImageIndex.class));
        assertThat(IndexCodec.write(IndexCodec.read(bytes))).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"schemaVersion\":2}",
        " \n{\"schemaVersion\":2,\"mediaType\":null,\"manifests\":null,\"annotations\":null}\n\n",
        "{\"schemaVersion\":-0,\"SchemaVersion\":\"x\",\"manifests\":[],\"annotations\":{}}",
        "{\"future\":{\"x\":[1,{\"y\":null}]},\"schemaVersion\":2,\"more\":[[{}]],\"manifests\":[{\"size\":1,"
            + "\"artifactType\":\"t\",\"data\":\"e30=\",\"platform\":{\"features\":[],\"x\":{\"a\":1},\"os\":\"l\"},"
            + "\"z\":null}],\"annotations\":{\"a\":\"b\"},\"last\":true}",
        "{\"schemaVersion\":2,\"manifests\":[{\"size\":1,\"mediaType\":null,\"digest\":null,\"urls\":null,"
            + "\"annotations\":null,\"platform\":null}]}",
        "{\"schemaVersion\":2,\"manifests\":[{\"size\":-1,\"mediaType\":\"\",\"urls\":[],\"annotations\":{}}]}",
        "{\"schemaVersion\":2,\"manifests\":[{\"size\":1,\"platform\":{\"os.features\":null,\"os\":null,"
            + "\"osVersion\":\"x\",\"os.version\":\"y\",\"osFeatures\":[5]}}]}",
        "{\"schemaVersion\":1,\"schemaVersion\":2,\"mediaType\":\"a\",\"mediaType\":\"b\",\"manifests\":[],"
            + "\"manifests\":[{\"size\":1,\"size\":2,\"platform\":{\"os\":\"a\"},\"platform\":{\"variant\":\"v\"},"
            + "\"annotations\":{\"k\":\"1\",\"k\":\"2\"}}]}",
        "\uFEFF{\"schemaVersion\":2,\"mediaType\":\"\\u00e9\\ud83d\\ude00\"}",
        "{\"schemaVersion\":2147483647,\"manifests\":[{\"size\":-9223372036854775808}]}",
    })
    void readsWhatTheMapperBinds(String json) throws Exception {
        for (byte[] bytes : List.of(bytes(json), json.getBytes(StandardCharsets.UTF_16BE))) {
            assertThat(IndexCodec.read(bytes)).isEqualTo(Json.MAPPER.readValue(bytes, ImageIndex.class));
        }
    }

    @Test
    void keepsTheOrderOfAnnotations() throws Exception {
        ImageIndex index = IndexCodec.read(bytes("{\"schemaVersion\":2,\"manifests\":[{\"size\":1,"
                + "\"annotations\":{\"z\":\"1\",\"a\":\"2\",\"m\":\"3\"}}]}"));

        assertThat(index.manifests().get(0).annotations().keySet()).containsExactly("z", "a", "m");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            # document                                  | start of the message
            []                          | the document: expected an image index (a JSON object), got an array
            null                        | the document: expected an image index (a JSON object), got null
            "x"                         | the document: expected an image index (a JSON object), got a string "x"
            5                           | the document: expected an image index (a JSON object), got the number 5
            {}                                          | schemaVersion: missing (expected an integer)
            {"schemaVersion":null}                      | schemaVersion: expected an integer, got null
            {"schemaVersion":"2"}                       | schemaVersion: expected an integer, got a string "2"
            {"schemaVersion":2.0}                       | schemaVersion: expected an integer, got the number 2.0
            {"schemaVersion":true}                      | schemaVersion: expected an integer, got true
            {"schemaVersion":2147483648}                | schemaVersion: the number 2147483648 is out of range
            {"schemaVersion":2,"mediaType":5}           | mediaType: expected a string, got the number 5
            {"schemaVersion":2,"mediaType":["a"]}       | mediaType: expected a string, got an array
            {"schemaVersion":2,"manifests":{}}          | manifests: expected an array of descriptors, got an object
            {"schemaVersion":2,"manifests":""}          | manifests: expected an array of descriptors, got a string
            {"schemaVersion":2,"manifests":[5]}         | manifests[0]: expected a descriptor (a JSON object), got the
            {"schemaVersion":2,"manifests":[{"size":1},[]]} | manifests[1]: expected a descriptor (a JSON object)
            {"schemaVersion":2,"annotations":{"a":{}}}  | annotations["a"]: expected a string, got an object
            """)
    void refusesIndexesTheMapperRefuses(String json, String message) {
        assertRefused(json, message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            # fields of manifests[0]                    | start of the message after manifests[0]
            "mediaType":"m"                             | .size: missing (expected an integer)
            "size":null                                 | .size: expected an integer, got null
            "size":"12"                                 | .size: expected an integer, got a string "12"
            "size":12.5                                 | .size: expected an integer, got the number 12.5
            "size":1e3                                  | .size: expected an integer, got the number 1e3
            "size":true                                 | .size: expected an integer, got true
            "size":9223372036854775808                  | .size: the number 9223372036854775808 is out of range
            "size":-9223372036854775809                 | .size: the number -9223372036854775809 is out of range
            "size":1,"digest":true                      | .digest: expected a string, got true
            "size":1,"urls":"u"                         | .urls: expected an array of strings, got a string
            "size":1,"urls":["u",5]                     | .urls[1]: expected a string, got the number 5
            "size":1,"annotations":[]                   | .annotations: expected an object of strings, got an array
            "size":1,"annotations":{"a":"b","c":5}      | .annotations["c"]: expected a string, got the number 5
            "size":1,"platform":""                      | .platform: expected a platform (a JSON object), got a string
            "size":1,"platform":{"os":5}                | .platform.os: expected a string, got the number 5
            "size":1,"platform":{"os.features":[true]}  | .platform.os.features[0]: expected a string, got true
            """)
    void refusesDescriptorsTheMapperRefuses(String fields, String message) {
        assertRefused("{\"schemaVersion\":2,\"manifests\":[{" + fields + "}]}", "manifests[0]" + message);
    }

    private static void assertRefused(String json, String message) {
        assertThatThrownBy(() -> IndexCodec.read(bytes(json))).isInstanceOf(JsonParseException.class)
                .hasMessageStartingWith(message);
        assertThatThrownBy(() -> mapperResult(json)).isInstanceOf(IOException.class);
    }

    /** The mapper's result, with its {@code null} for a {@code null} document taken for the refusal it is. */
    private static ImageIndex mapperResult(String json) throws IOException {
        ImageIndex index = Json.MAPPER.readValue(bytes(json), ImageIndex.class);
        if (index == null) {
            throw new IOException("null document"); // IndexFile refuses it as corrupt
        }
        return index;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            # document the mapper binds                 | start of the message
            '{"schemaVersion":2}{}'                     | content after the image index: an object
            '{"schemaVersion":2} ['                     | content after the image index: an array
            '{"schemaVersion":2} x'                     | Unrecognized token
            {"schemaVersion":2,"manifests":[null]}      | manifests[0]: expected a descriptor (a JSON object), got null
            {"schemaVersion":2,"manifests":[{"size":1,"urls":[null]}]} | manifests[0].urls[0]: expected a string
            {"schemaVersion":2,"annotations":{"a":null}} | annotations["a"]: expected a string, got null
            """)
    void isStricterThanTheMapperAboutTrailingContentAndNullEntries(String json, String message) throws Exception {
        assertThat(Json.MAPPER.readValue(bytes(json), ImageIndex.class)).isNotNull();
        assertThatThrownBy(() -> IndexCodec.read(bytes(json))).isInstanceOf(JsonParseException.class)
                .hasMessageStartingWith(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "{\"schemaVersion\":2,", "{\"schemaVersion\":2,\"manifests\":[{\"size\":1}",
        "{\"schemaVersion\":2,}", "{'schemaVersion':2}", "{\"schemaVersion\":02}", "{\"schemaVersion\":2 /* c */}"})
    void refusesWhatIsNoJson(String json) {
        assertThatThrownBy(() -> IndexCodec.read(bytes(json))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> Json.MAPPER.readValue(bytes(json), ImageIndex.class)).isInstanceOf(IOException.class);
    }

    @Test
    void whatItReadsCannotBeChangedBehindTheStoresBack() throws Exception {
        ImageIndex index = IndexCodec.read(bytes("{\"schemaVersion\":2,\"manifests\":[{\"size\":1,\"urls\":[\"u\"],"
                + "\"annotations\":{\"a\":\"b\"}}]}"));

        assertThatThrownBy(() -> index.manifests().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> index.manifests().get(0).urls().clear())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> index.manifests().get(0).annotations().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
