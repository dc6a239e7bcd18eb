package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpull.cli.option.Env;
import dev.jpull.testdata.Image;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.MultiPlatformImage;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.RegistryFixture.Mode;
import dev.jpull.testdata.Skopeo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code jpull digest}, {@code inspect} and {@code tags} against the real registry in every auth mode, skopeo as the
 * oracle: the same digest, the same manifest and config bytes, the same tags, the same inspect fields. One registry
 * per mode, shared by the tests of the class.
 */
class QueryCommandsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Mode, Seeded> REGISTRIES = new EnumMap<>(Mode.class);
    private static Path tmp;
    private static MultiPlatformImage multi;
    private static Image labelled;

    /** A registry with the images pushed and the registries.yaml that reaches it. */
    private record Seeded(RegistryFixture registry, Path yaml) {
    }

    @BeforeAll
    static void images() throws IOException {
        tmp = Files.createTempDirectory("jpull-query-it");
        ImageGenerator gen = new ImageGenerator(77);
        multi = gen.multiPlatform(tmp.resolve("layout"), "multi");
        labelled = relabel(gen.singlePlatform(tmp.resolve("layout"), "labelled", 2, 40_000));
    }

    @AfterAll
    static void stop() {
        REGISTRIES.values().forEach(s -> s.registry().close());
    }

    private static synchronized Seeded registry(Mode mode) throws IOException {
        Seeded s = REGISTRIES.get(mode);
        if (s == null) {
            RegistryFixture reg = RegistryFixture.start(mode);
            Skopeo.copyToRegistry(multi.layoutDir(), "multi", reg, "library/multi:1.0");
            Skopeo.copyToRegistry(labelled.layoutDir(), "labelled", reg, "team/app:1.0");
            Skopeo.copyToRegistry(labelled.layoutDir(), "labelled", reg, "team/app:2.0");
            Skopeo.copyToRegistry(labelled.layoutDir(), "labelled", reg, "team/app:latest");
            s = new Seeded(reg, registriesYaml(reg, tmp.resolve("registries-" + mode + ".yaml")));
            REGISTRIES.put(mode, s);
        }
        return s;
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void digestIsSkopeosDigest(Mode mode) throws IOException {
        Seeded s = registry(mode);
        for (String repoTag : List.of("library/multi:1.0", "team/app:1.0")) {
            CliRun r = run(s, "digest", s.registry().hostPort() + "/" + repoTag);
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo(Skopeo.inspectDigest(s.registry(), repoTag) + "\n");
        }
        assertThat(run(s, "digest", s.registry().hostPort() + "/library/multi:1.0").out().strip())
                .isEqualTo(multi.indexDigest());

        CliRun json = run(s, "digest", "-o", "json", "--platform", "linux/arm64",
                s.registry().hostPort() + "/library/multi:1.0");
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode d = JSON.readTree(json.out());
        assertThat(d.path("digest").asText()).isEqualTo(multi.child("linux/arm64/v8").manifestDigest());
        assertThat(d.path("mediaType").asText()).isEqualTo(ImageGenerator.MANIFEST_TYPE);
        assertThat(d.path("endpoint").asText()).isEqualTo(s.registry().baseUrl() + "/v2");
        assertThat(d.path("attempts").isArray()).isTrue();

        String byDigest = s.registry().hostPort() + "/team/app@" + labelled.manifestDigest();
        assertThat(run(s, "digest", byDigest).out()).isEqualTo(labelled.manifestDigest() + "\n");
        String unknown = s.registry().hostPort() + "/team/app@sha256:" + "0".repeat(64);
        CliRun missing = run(s, "digest", unknown);
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("not-found");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void rawManifestAndConfigAreSkopeosBytes(Mode mode) throws IOException {
        Seeded s = registry(mode);
        for (String repoTag : List.of("library/multi:1.0", "team/app:1.0")) {
            String image = s.registry().hostPort() + "/" + repoTag;
            CliRun raw = run(s, "inspect", "--raw", image);
            assertThat(raw.exitCode()).as(raw.err()).isZero();
            assertThat(raw.out()).isEqualTo(Skopeo.inspectRaw(s.registry(), repoTag));
            assertThat(sha256(raw.out())).isEqualTo(Skopeo.inspectDigest(s.registry(), repoTag));

            CliRun config = run(s, "inspect", "--raw-config", image);
            assertThat(config.exitCode()).as(config.err()).isZero();
            assertThat(config.out()).isEqualTo(Skopeo.inspectConfigRaw(s.registry(), repoTag));
        }
        CliRun child = run(s, "inspect", "--raw", "--platform", "linux/arm/v7",
                s.registry().hostPort() + "/library/multi:1.0");
        assertThat(sha256(child.out())).isEqualTo(multi.child("linux/arm/v7").manifestDigest());
        CliRun childConfig = run(s, "inspect", "--raw-config", "--platform", "linux/arm/v7",
                s.registry().hostPort() + "/library/multi:1.0");
        assertThat(sha256(childConfig.out())).isEqualTo(multi.child("linux/arm/v7").configDigest());
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void tagsAreSkopeosTags(Mode mode) throws IOException {
        Seeded s = registry(mode);
        CliRun r = run(s, "tags", s.registry().hostPort() + "/team/app");
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> skopeo = new ArrayList<>(Skopeo.listTags(s.registry(), "team/app"));
        skopeo.sort(null);
        List<String> lines = List.of(r.out().split("\n"));
        assertThat(lines.stream().sorted().toList()).isEqualTo(skopeo).containsExactly("1.0", "2.0", "latest");

        CliRun json = run(s, "tags", "-o", "json", s.registry().hostPort() + "/team/app");
        JsonNode t = JSON.readTree(json.out());
        assertThat(t.path("repository").asText()).isEqualTo(s.registry().hostPort() + "/team/app");
        List<String> listed = new ArrayList<>();
        t.path("tags").forEach(n -> listed.add(n.asText()));
        assertThat(listed).isEqualTo(lines);
        assertThat(t.path("endpoint").asText()).isEqualTo(s.registry().baseUrl() + "/v2");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void inspectJsonHasSkopeosFields(Mode mode) throws IOException {
        Seeded s = registry(mode);
        for (String repoTag : List.of("team/app:1.0", "library/multi:1.0")) {
            String image = s.registry().hostPort() + "/" + repoTag;
            CliRun r = run(s, "inspect", "-o", "json", "--platform", "linux/amd64", image);
            assertThat(r.exitCode()).as(r.err()).isZero();
            JsonNode mine = JSON.readTree(r.out());
            JsonNode theirs = JSON.readTree(Skopeo.inspectJson(s.registry(), repoTag));
            assertThat(mine.path("Name").asText()).isEqualTo(theirs.path("Name").asText());
            for (String field : List.of("Digest", "DockerVersion", "Architecture", "Os", "Layers", "Env", "Labels")) {
                assertThat(mine.path(field)).as(repoTag + " " + field).isEqualTo(theirs.path(field));
            }
            assertLayersData(mine, theirs);
            assertThat(Instant.parse(mine.path("Created").asText()))
                    .isEqualTo(Instant.parse(theirs.path("Created").asText()));
            assertThat(mine.path("endpoint").asText()).isEqualTo(s.registry().baseUrl() + "/v2");
        }
        JsonNode app = JSON.readTree(run(s, "inspect", "-o", "json", s.registry().hostPort() + "/team/app:1.0").out());
        assertThat(app.path("Labels").path("org.opencontainers.image.title").asText()).isEqualTo("jpull test");
        assertThat(app.path("Entrypoint").get(0).asText()).isEqualTo("/bin/entry");

        CliRun text = run(s, "inspect", "--platform", "linux/amd64", s.registry().hostPort() + "/library/multi:1.0");
        assertThat(text.out()).containsPattern("(?m)^Digest: +" + multi.indexDigest() + "$")
                .containsPattern("(?m)^Platforms: +linux/amd64, linux/arm64/v8, linux/arm/v7$")
                .containsPattern("(?m)^Image: +" + multi.child("linux/amd64").manifestDigest()
                        + " \\(linux/amd64\\)$")
                .containsPattern("(?m)^Created: +1970-01-01T00:00:00Z$")
                .containsPattern("(?m)^Cmd: +\\[\"/bin/sh\"\\]$");
    }

    /** {@code --store DIR} reads a pulled image without network: it answers after the registry is gone. */
    @ParameterizedTest
    @EnumSource(value = Mode.class, names = "PLAIN")
    void inspectStoreReadsThePulledImage(Mode mode) throws IOException {
        Seeded s = registry(mode);
        Path store = tmp.resolve("pulled-store");
        String image = s.registry().hostPort() + "/library/multi:1.0";
        assertThat(run(s, "pull", "--store", store.toString(), "--platform", "linux/arm/v7", image).exitCode())
                .isZero();
        CliRun network = run(s, "inspect", "-o", "json", "--platform", "linux/arm/v7", image);

        CliRun r = run(s, "inspect", "--store", store.toString(), "-o", "json", image);
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode stored = JSON.readTree(r.out());
        JsonNode skopeo = JSON.readTree(Skopeo.inspectLayout(store, image));
        assertThat(stored.path("Digest").asText()).isEqualTo(skopeo.path("Digest").asText())
                .isEqualTo(multi.child("linux/arm/v7").manifestDigest());
        for (String field : List.of("Architecture", "Os", "Layers", "Env", "Labels", "Created")) {
            assertThat(stored.path(field)).as(field).isEqualTo(skopeo.path(field))
                    .isEqualTo(JSON.readTree(network.out()).path(field));
        }
        assertLayersData(stored, skopeo);
        assertThat(stored.path("Variant").asText()).isEqualTo("v7")
                .isEqualTo(JSON.readTree(network.out()).path("Variant").asText());
        assertThat(stored.path("endpoint").isNull()).isTrue();
        CliRun raw = run(s, "inspect", "--store", store.toString(), "--raw", image);
        assertThat(raw.out()).isEqualTo(Skopeo.inspectLayoutRaw(store, image));

        CliRun absent = run(s, "inspect", "--store", store.toString(), s.registry().hostPort() + "/team/app:1.0");
        assertThat(absent.exitCode()).isEqualTo(1);
        assertThat(absent.err()).contains("not in the store");
    }

    /**
     * skopeo 1.9 prints no {@code LayersData} (later versions do, with these names): when it does, they are equal;
     * either way each entry names the layer of {@code Layers} with the size and media type of the manifest.
     */
    private static void assertLayersData(JsonNode mine, JsonNode skopeo) {
        if (skopeo.has("LayersData")) {
            assertThat(mine.path("LayersData")).isEqualTo(skopeo.path("LayersData"));
        }
        JsonNode layers = mine.path("Layers");
        assertThat(mine.path("LayersData").size()).isEqualTo(layers.size()).isPositive();
        for (int i = 0; i < layers.size(); i++) {
            JsonNode d = mine.path("LayersData").get(i);
            assertThat(d.path("Digest")).isEqualTo(layers.get(i));
            assertThat(d.path("MIMEType").asText()).isEqualTo(ImageGenerator.LAYER_TYPE);
            assertThat(d.path("Size").asLong()).isEqualTo(layerSize(layers.get(i).asText()));
        }
    }

    /** The size of a generated layer, from the layouts the images were written to. */
    private static long layerSize(String digest) {
        try {
            return Files.size(ImageGenerator.blobPath(tmp.resolve("layout"), digest));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static CliRun run(Seeded s, String... args) {
        List<String> all = new ArrayList<>(List.of(args).subList(0, 1));
        all.addAll(List.of("-c", s.yaml().toString()));
        all.addAll(List.of(args).subList(1, args.length));
        Path home = tmp.resolve("home");
        return CliRun.run(Env.of(Map.of("JPULL_STORE", tmp.resolve("memory-store").toString()), home),
                all.toArray(String[]::new));
    }

    private static String sha256(String text) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A registries.yaml as an operator would write it for this registry (mirror entry + configs by host). */
    static Path registriesYaml(RegistryFixture reg, Path file) throws IOException {
        StringBuilder y = new StringBuilder();
        if (reg.tls()) {
            y.append("mirrors:\n  \"").append(reg.hostPort()).append("\":\n    endpoint:\n      - \"https://")
                    .append(reg.hostPort()).append("\"\n");
        }
        y.append("configs:\n  \"").append(reg.hostPort()).append("\":\n");
        if (reg.username() != null) {
            y.append("    auth:\n      username: ").append(reg.username()).append("\n      password: ")
                    .append(reg.password()).append('\n');
        }
        if (reg.tls()) {
            y.append("    tls:\n      ca_file: ").append(reg.certs().caCert()).append('\n');
            if (reg.mode() == Mode.MTLS_BASIC) {
                y.append("      cert_file: ").append(reg.certs().clientEcCert()).append('\n')
                        .append("      key_file: ").append(reg.certs().clientEcKey()).append('\n');
            }
        }
        Files.writeString(file, y);
        return file;
    }

    /**
     * {@code image} with labels and an entrypoint in its config (the generator writes neither): a new config and
     * manifest blob in its layout, and its {@code index.json} entry pointing at the new manifest.
     */
    static Image relabel(Image image) throws IOException {
        Path layout = image.layoutDir();
        ObjectNode config = (ObjectNode) JSON.readTree(Files.readAllBytes(image.blobPath(image.configDigest())));
        ObjectNode cfg = (ObjectNode) config.path("config");
        cfg.putObject("Labels").put("org.opencontainers.image.title", "jpull test").put("team", "query");
        cfg.putArray("Entrypoint").add("/bin/entry");
        byte[] configBytes = JSON.writeValueAsBytes(config);
        String configDigest = write(layout, configBytes);
        ObjectNode manifest = (ObjectNode) JSON.readTree(Files.readAllBytes(image.blobPath(image.manifestDigest())));
        ((ObjectNode) manifest.path("config")).put("digest", configDigest).put("size", configBytes.length);
        byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
        String manifestDigest = write(layout, manifestBytes);
        Path indexFile = layout.resolve("index.json");
        ObjectNode index = (ObjectNode) JSON.readTree(Files.readAllBytes(indexFile));
        for (JsonNode m : (ArrayNode) index.path("manifests")) {
            if (m.path("digest").asText().equals(image.manifestDigest())) {
                ((ObjectNode) m).put("digest", manifestDigest).put("size", manifestBytes.length);
            }
        }
        Files.write(indexFile, JSON.writeValueAsBytes(index));
        return new Image(layout, image.refName(), image.platform(), manifestDigest, manifestBytes.length,
                configDigest, configBytes.length, image.layers());
    }

    private static String write(Path layout, byte[] bytes) throws IOException {
        String digest = sha256(new String(bytes, StandardCharsets.UTF_8));
        Path blob = ImageGenerator.blobPath(layout, digest);
        Files.createDirectories(blob.getParent());
        Files.write(blob, bytes);
        return digest;
    }
}
