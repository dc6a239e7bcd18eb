package dev.jpull.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.internal.oci.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexFileTest {
    @TempDir
    Path root;

    @Test
    void theEmptyIndexConstantIsWhatJacksonWritesForTheEmptyIndex() throws Exception {
        assertThat(new String(IndexFile.EMPTY_JSON, "UTF-8"))
                .isEqualTo(new String(Json.MAPPER.writeValueAsBytes(IndexFile.empty()), "UTF-8"));
    }

    @Test
    void createIfMissingWritesTheEmptyIndexAndReadsBackAsEmpty() throws Exception {
        IndexFile index = new IndexFile(root);

        index.createIfMissing();

        assertThat(Files.readAllBytes(root.resolve("index.json"))).isEqualTo(IndexFile.EMPTY_JSON);
        assertThat(index.read()).isEqualTo(IndexFile.empty());
    }
}
