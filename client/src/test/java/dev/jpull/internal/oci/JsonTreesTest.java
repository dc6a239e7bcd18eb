package dev.jpull.internal.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link JsonTrees} builds and writes the trees the object mapper does, without it. */
class JsonTreesTest {
    @ParameterizedTest
    @ValueSource(strings = {"{}", "[]", "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\\u0001\"}}",
        "[1,2147483648,9223372036854775808,-9223372036854775809,1.5,1e3,-0.0,\"x\"]", "\"text\"", "42", "null",
        "{\"nested\":[[[{\"deep\":[{}]}]]],\"unicode\":\"\u00e9\u4e2d\\ud83d\\ude00\"}", "  {\"a\" : 1 }  "})
    void readsAndWritesAsTheMapperDoes(String json) throws Exception {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        JsonNode mine = JsonTrees.read(bytes);
        JsonNode mapper = Json.MAPPER.readTree(bytes);
        assertThat(mine).isEqualTo(mapper);
        assertThat(mine.getClass()).isEqualTo(mapper.getClass());
        assertThat(JsonTrees.bytes(mine)).isEqualTo(Json.MAPPER.writeValueAsBytes(mapper));
        assertThat(JsonTrees.pretty(mine)).isEqualTo(Json.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsString(mapper));
        assertThat(JsonTrees.read(json)).isEqualTo(mapper);
    }

    @Test
    void numbersKeepTheMappersNodeTypes() throws Exception {
        JsonNode n = JsonTrees.read("[1,4294967296,18446744073709551616,2.5]");
        assertThat(n.get(0).isInt()).isTrue();
        assertThat(n.get(1).isLong()).isTrue();
        assertThat(n.get(2).bigIntegerValue()).isEqualTo(new BigInteger("18446744073709551616"));
        assertThat(n.get(3).isDouble()).isTrue();
    }

    @Test
    void emptyInputIsMissing() throws Exception {
        assertThat(JsonTrees.read(new byte[0]).isMissingNode()).isTrue();
        assertThat(JsonTrees.read("   ").isMissingNode()).isTrue();
    }

    @Test
    void lastDuplicateWinsUnlessStrict() throws Exception {
        byte[] dup = "{\"a\":1,\"b\":2,\"a\":{\"c\":3}}".getBytes(StandardCharsets.UTF_8);
        assertThat(JsonTrees.read(dup)).isEqualTo(Json.MAPPER.readTree(dup));
        assertThatThrownBy(() -> JsonTrees.readStrict(dup)).isInstanceOf(JsonParseException.class)
                .hasMessageContaining("Duplicate field 'a'");
    }

    @Test
    void trailingContentIsIgnoredUnlessStrict() throws Exception {
        byte[] trailing = "{\"a\":1} {\"b\":2}".getBytes(StandardCharsets.UTF_8);
        assertThat(JsonTrees.read(trailing)).isEqualTo(Json.MAPPER.readTree("{\"a\":1}"));
        assertThatThrownBy(() -> JsonTrees.readStrict(trailing)).isInstanceOf(JsonParseException.class)
                .hasMessageContaining("Trailing token");
        assertThat(JsonTrees.readStrict("{\"a\":1}  \n".getBytes(StandardCharsets.UTF_8)).get("a").intValue())
                .isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"a\":", "[1,", "{\"a\" 1}", "[1 2]", "{'a':1}", "nul", "{\"a\":1,}"})
    void malformedInputIsRefused(String json) {
        assertThatThrownBy(() -> JsonTrees.read(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(JsonParseException.class);
    }

    @Test
    void deepNestingIsBoundedByTheParserNotTheStack() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> JsonTrees.read(deep)).isInstanceOf(
                com.fasterxml.jackson.core.exc.StreamConstraintsException.class);
        String ok = "[".repeat(200) + "]".repeat(200);
        assertThatCode(() -> JsonTrees.read(ok)).doesNotThrowAnyException();
    }

    @Test
    void writesBuiltTreesInInsertionOrder() {
        ObjectNode o = JsonTrees.object();
        o.put("z", 1).put("a", "b").putArray("l").add(2L).add(1.25).addNull();
        o.set("empty", JsonTrees.array());
        assertThat(new String(JsonTrees.bytes(o), StandardCharsets.UTF_8))
                .isEqualTo("{\"z\":1,\"a\":\"b\",\"l\":[2,1.25,null],\"empty\":[]}");
    }
}
