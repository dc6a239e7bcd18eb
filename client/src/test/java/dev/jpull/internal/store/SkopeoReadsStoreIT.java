package dev.jpull.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.MediaTypes;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real skopeo binary reads a store built through {@link OciStore}, including ref names that contain
 * colons (registry port, tag) and digests.
 */
class SkopeoReadsStoreIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private OciStore store;
    private byte[] amd64Manifest;
    private byte[] arm64Manifest;

    @BeforeAll
    static void requireSkopeo() {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            found |= Files.isExecutable(Path.of(dir, "skopeo"));
        }
        assertThat(found).as("skopeo must be installed (bash .ci/run installs it)").isTrue();
    }

    @BeforeEach
    void buildStore() throws IOException {
        assertThat(tmp.toString()).doesNotContain(":");
        store = OciStore.open(tmp.resolve("store"));
        byte[] emptyTar = new byte[1024];
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(emptyTar);
        }
        byte[] layer = gz.toByteArray();
        store.writeBlob(Digests.sha256(layer), layer);
        amd64Manifest = image("amd64", layer, Digests.sha256(emptyTar));
        arm64Manifest = image("arm64", layer, Digests.sha256(emptyTar));
    }

    private byte[] image(String arch, byte[] layer, String diffId) throws IOException {
        byte[] config = ("{\"architecture\":\"" + arch + "\",\"os\":\"linux\",\"config\":{},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]}}")
                .getBytes(StandardCharsets.UTF_8);
        store.writeBlob(Digests.sha256(config), config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + Digests.sha256(config) + "\",\"size\":" + config.length + "},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\""
                + Digests.sha256(layer) + "\",\"size\":" + layer.length + "}]}")
                .getBytes(StandardCharsets.UTF_8);
        store.writeBlob(Digests.sha256(manifest), manifest);
        return manifest;
    }

    private static Descriptor descriptor(byte[] manifest) {
        return Descriptor.of(MediaTypes.OCI_MANIFEST, Digests.sha256(manifest), manifest.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker.io/library/alpine:latest", "127.0.0.1:5000/library/alpine:latest",
            "docker.io/library/alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "localhost:5000/a/b/c:v1.2.3"})
    void skopeoFindsEachRefNameAmongOthers(String refName) throws Exception {
        store.tag("other.example/library/alpine:latest", descriptor(amd64Manifest));
        store.tag(refName, descriptor(arm64Manifest));
        store.tag("zzz.example:5000/x:1", descriptor(amd64Manifest));

        Result raw = skopeo("inspect", "--raw", "oci:" + store.root() + ":" + refName);
        assertThat(raw.exit).as(raw.stderr).isZero();
        assertThat(raw.stdout).isEqualTo(arm64Manifest);

        Result info = skopeo("inspect", "oci:" + store.root() + ":" + refName);
        assertThat(info.exit).as(info.stderr).isZero();
        JsonNode json = JSON.readTree(info.stdout);
        assertThat(json.get("Digest").asText()).isEqualTo(Digests.sha256(arm64Manifest));
        assertThat(json.get("Architecture").asText()).isEqualTo("arm64");
    }

    @Test
    void skopeoFailsForARefNameThatIsNotTagged() throws Exception {
        store.tag("127.0.0.1:5000/library/alpine:latest", descriptor(amd64Manifest));

        Result r = skopeo("inspect", "--raw", "oci:" + store.root() + ":127.0.0.1:5000/library/alpine:other");

        assertThat(r.exit).isNotZero();
        assertThat(r.stderr).contains("no descriptor found");
    }

    private record Result(int exit, byte[] stdout, String stderr) {
    }

    private Result skopeo(String... args) throws Exception {
        Path err = tmp.resolve("skopeo.err");
        Process p = new ProcessBuilder(concat("skopeo", args))
                .redirectError(err.toFile())
                .start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out, Files.readString(err));
    }

    private static List<String> concat(String first, String... rest) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), java.util.Arrays.stream(rest))
                .toList();
    }
}
