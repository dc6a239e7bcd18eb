package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jpull.cli.option.Env;
import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.MediaTypes;
import dev.jpull.internal.store.OciStore;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 8 points 8 and 10 at the command line: a store that cannot be used is one line naming the file and exit 2
 * (never "internal error", never a stack trace); {@code jpull verify} reports bad blobs, removes them, exits 1.
 */
class StoreProblemsCliTest {
    @TempDir
    Path tmp;
    Path store;
    String configDigest;
    byte[] config;
    int manifestSize;

    @BeforeEach
    void storeWithImage() {
        store = tmp.resolve("store");
        OciStore s = OciStore.open(store);
        config = "{\"architecture\":\"arm64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        configDigest = Digests.sha256(config);
        s.writeBlob(configDigest, config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{"
                + "\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                + "\",\"size\":" + config.length + "},\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
        s.writeBlob(Digests.sha256(manifest), manifest);
        manifestSize = manifest.length;
        s.tag("docker.io/library/alpine:latest", Descriptor.of(MediaTypes.OCI_MANIFEST, Digests.sha256(manifest),
                manifest.length));
    }

    private CliRun run(String... args) {
        return CliRun.run(Env.of(java.util.Map.of("JPULL_STORE", store.toString()), tmp), args);
    }

    private static void assertOneLineStoreError(CliRun r, String... fragments) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).startsWith("jpull: ").doesNotContain("internal error").doesNotContain("Exception")
                .contains(fragments);
        assertThat(r.out()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[1,2]", "{\"manifests\":\"x\"}", "\u0000\u0001binary\u00ff",
        "{\"manifests\":[{\"digest\":\"../../etc/passwd\",\"size\":1}]}"})
    void aCorruptIndexJsonIsOneLineForEveryStoreCommand(String content) throws IOException {
        Path index = Files.writeString(store.resolve("index.json"), content);

        for (List<String> line : List.of(List.of("images"), List.of("rmi", "alpine"), List.of("verify"),
                List.of("save", "alpine", "-o", tmp.resolve("a.tar").toString()))) {
            assertOneLineStoreError(run(line.toArray(String[]::new)), index + " is corrupt", "remove or repair it");
        }
    }

    @Test
    void aHugeIndexJsonIsRefusedNotReadIntoMemory() throws IOException {
        Path index = store.resolve("index.json");
        try (RandomAccessFile f = new RandomAccessFile(index.toFile(), "rw")) {
            f.setLength(100L * 1024 * 1024);
        }

        assertOneLineStoreError(run("images"), index.toString(), "16 MiB");
    }

    @Test
    void pathLikeNamesAreOneLineUsageErrors() {
        for (String name : List.of("../../etc/passwd", "/abs/path", "a/../../b")) {
            for (List<String> line : List.of(List.of("rmi", name), List.of("verify", name),
                    List.of("save", name, "-o", tmp.resolve("a.tar").toString()))) {
                CliRun r = run(line.toArray(String[]::new));
                assertThat(r.exitCode()).as(line.toString()).isEqualTo(2);
                assertThat(r.errLines()).as(line.toString()).hasSize(1);
                assertThat(r.err()).contains("invalid reference");
            }
        }
        assertThat(Path.of("/abs/path")).doesNotExist();
    }

    @Test
    void saveRefusesToOverwriteTheStoresOwnFiles() throws IOException {
        byte[] before = Files.readAllBytes(store.resolve("index.json"));
        Path blob = store.resolve("blobs/sha256/" + Digests.hex(configDigest));

        assertOneLineStoreError(run("save", "alpine", "-o", store.resolve("index.json").toString()),
                "one of the store's own files");
        assertOneLineStoreError(run("save", "alpine", "-o", blob.toString()), "one of the store's own files");

        assertThat(Files.readAllBytes(store.resolve("index.json"))).isEqualTo(before);
        assertThat(Files.readAllBytes(blob)).isEqualTo(config);
        CliRun beside = run("save", "alpine", "-o", store.resolve("backup.tar").toString());
        assertThat(beside.exitCode()).as(beside.err()).isZero();
    }

    @Test
    void verifyExitsZeroOnACleanStoreAndOneWhenItRemovedABadBlob() throws IOException {
        CliRun clean = run("verify");
        assertThat(clean.exitCode()).as(clean.err()).isZero();
        assertThat(clean.out().lines()).containsExactly("Verified 2 blobs (" + (config.length + manifestSize)
                + " bytes): all good");

        Path blob = store.resolve("blobs/sha256/" + Digests.hex(configDigest));
        byte[] wrong = config.clone();
        wrong[3] = 'X';
        Files.write(blob, wrong);
        CliRun bad = run("verify", "alpine", "-o", "json");

        assertThat(bad.exitCode()).as(bad.err()).isEqualTo(1);
        JsonNode json = dev.jpull.internal.oci.Json.MAPPER.readTree(bad.out());
        assertThat(json.path("images").get(0).asText()).isEqualTo("docker.io/library/alpine:latest");
        assertThat(json.path("bad")).hasSize(1);
        assertThat(json.path("bad").get(0).path("digest").asText()).isEqualTo(configDigest);
        assertThat(json.path("bad").get(0).path("problem").asText()).isEqualTo("hashes to " + Digests.sha256(wrong));
        assertThat(json.path("bad").get(0).path("removed").asBoolean()).isTrue();
        assertThat(blob).doesNotExist();

        CliRun missing = run("verify");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.out().lines()).first().asString().isEqualTo("bad: " + configDigest
                + " missing (needed by docker.io/library/alpine:latest)");
    }

    @Test
    void verifyOfAnImageNotInTheStoreExitsOne() {
        CliRun r = run("verify", "busybox");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("jpull: not in the store: docker.io/library/busybox:latest");
    }

    @Test
    void aPlantedLinkIsAOneLineErrorNamingIt() throws IOException {
        Path lock = store.resolve(".jpull.lock");
        Files.delete(lock);
        Files.createSymbolicLink(lock, tmp.resolve("elsewhere"));

        assertOneLineStoreError(run("rmi", "alpine"), lock + " is a symbolic link");
        assertThat(tmp.resolve("elsewhere")).doesNotExist();
    }
}
