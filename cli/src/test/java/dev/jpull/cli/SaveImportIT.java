package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpull.internal.oci.Digests;
import dev.jpull.testdata.Image;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.RegistryFixture.Mode;
import dev.jpull.testdata.Skopeo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jpull save} end to end: images pulled from the real registry are saved into one archive, which skopeo
 * reads as a Docker archive and a real containerd imports ({@code ctr images import}, what the K3s air-gap images
 * directory does) under the right names and digests; then {@code rmi} and {@code images}.
 */
class SaveImportIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void savedImagesAreReadBySkopeoAndImportedByContainerd() throws Exception {
        try (RegistryFixture reg = RegistryFixture.start(Mode.PLAIN)) {
            Path layout = tmp.resolve("layout");
            Image app = new ImageGenerator(11).singlePlatform(layout, "app", 2, 50_000);
            Variant variant = addVariantSharingLayers(app, "variant");
            Skopeo.copyToRegistry(layout, "app", reg, "team/app:1.0");
            Skopeo.copyToRegistry(layout, "app", reg, "team/app:latest");
            Skopeo.copyToRegistry(layout, "variant", reg, "team/variant:2.0");
            Path yaml = Files.writeString(tmp.resolve("registries.yaml"), "mirrors:\n  \"" + reg.hostPort()
                    + "\":\n    endpoint:\n      - \"http://" + reg.hostPort() + "\"\n");
            String store = tmp.resolve("store").toString();
            String appRef = reg.hostPort() + "/team/app:1.0";
            String latestRef = reg.hostPort() + "/team/app:latest";
            String variantRef = reg.hostPort() + "/team/variant:2.0";
            Map<String, String> manifests = new LinkedHashMap<>();
            manifests.put(appRef, app.manifestDigest());
            manifests.put(latestRef, app.manifestDigest());
            manifests.put(variantRef, variant.manifestDigest());
            for (String ref : manifests.keySet()) {
                CliRun pull = CliRun.run(tmp, "pull", "--config", yaml.toString(), "--store", store, ref);
                assertThat(pull.exitCode()).as(pull.err()).isZero();
            }

            CliRun images = CliRun.run(tmp, "images", "--store", store, "-o", "json");
            assertThat(images.exitCode()).as(images.err()).isZero();
            JsonNode listed = JSON.readTree(images.out()).path("images");
            assertThat(listed).hasSize(3);
            assertThat(listed.get(2).path("reference").asText()).isEqualTo(variantRef);
            assertThat(listed.get(2).path("imageId").asText()).isEqualTo(variant.configDigest());
            assertThat(listed.get(2).path("platform").asText()).isEqualTo("linux/amd64");
            assertThat(listed.get(2).path("size").asLong()).isEqualTo(app.blobBytes() - app.configSize()
                    + variant.configSize());

            Path archive = tmp.resolve("images.tar");
            CliRun save = CliRun.run(tmp, "save", "--store", store, "-o", archive.toString(),
                    appRef, latestRef, variantRef);
            assertThat(save.exitCode()).as(save.err()).isZero();
            assertThat(save.out().lines()).containsExactly("Saved: " + appRef, "Saved: " + latestRef,
                    "Saved: " + variantRef);

            // skopeo reads it as a Docker archive (manifest.json); the image ids are the pulled configs
            Map<String, String> configs = Map.of(appRef, app.configDigest(), latestRef, app.configDigest(),
                    variantRef, variant.configDigest());
            for (Map.Entry<String, String> e : configs.entrySet()) {
                JsonNode raw = JSON.readTree(run(List.of("skopeo", "inspect", "--raw",
                        "docker-archive:" + archive + ":" + e.getKey())));
                assertThat(raw.path("config").path("digest").asText()).as(e.getKey()).isEqualTo(e.getValue());
                assertThat(raw.path("layers")).hasSize(2);
            }
            Path copy = tmp.resolve("copy");
            run(List.of("skopeo", "copy", "--quiet", "docker-archive:" + archive + ":" + variantRef,
                    "oci:" + copy + ":v"));
            JsonNode copied = JSON.readTree(run(List.of("skopeo", "inspect", "--raw", "oci:" + copy + ":v")));
            assertThat(copied.path("config").path("digest").asText()).isEqualTo(variant.configDigest());
            // and as an OCI archive, by the full reference
            JsonNode oci = JSON.readTree(run(List.of("skopeo", "inspect", "--raw",
                    "oci-archive:" + archive + ":" + variantRef)));
            assertThat(oci.path("config").path("digest").asText()).isEqualTo(variant.configDigest());

            // containerd imports every reference with its manifest digest, and unpacks the layers
            try (Containerd containerd = Containerd.start(Files.createDirectory(tmp.resolve("ctd")))) {
                // unpacking needs mounts, which only root may do; without it containerd still checks every digest
                List<String> importArgs = new ArrayList<>(List.of("images", "import", "--all-platforms",
                        "--snapshotter", "native"));
                if (!containerd.root()) {
                    importArgs.add("--no-unpack");
                }
                importArgs.add(archive.toString());
                containerd.ctr(importArgs.toArray(String[]::new));
                Map<String, String> imported = new LinkedHashMap<>();
                for (String line : containerd.ctr("images", "ls").lines().skip(1).toList()) {
                    String[] cols = line.trim().split("\\s+");
                    imported.put(cols[0], cols[2]);
                }
                assertThat(imported).containsExactlyInAnyOrderEntriesOf(manifests);
                if (containerd.root()) {
                    // the two shared layers unpacked once: their diff ids matched the configs
                    String snapshots = containerd.ctr("snapshots", "--snapshotter", "native", "ls");
                    assertThat(snapshots.lines().skip(1).toList()).as(snapshots).hasSize(2);
                }
            }

            // rmi: the alias goes with nothing deleted, then the app image's own config; the variant stays whole
            CliRun rmi = CliRun.run(tmp, "rmi", "--store", store, latestRef, appRef, reg.hostPort() + "/team/no:1");
            assertThat(rmi.exitCode()).isEqualTo(1);
            assertThat(rmi.out().lines()).containsExactly("Deleted: " + latestRef, "Deleted: " + appRef);
            assertThat(rmi.err()).contains("no such image: " + reg.hostPort() + "/team/no:1");
            Path blobs = Path.of(store, "blobs", "sha256");
            assertThat(blobs.resolve(Digests.hex(app.configDigest()))).doesNotExist();
            assertThat(blobs.resolve(Digests.hex(app.manifestDigest()))).doesNotExist();
            for (String layer : app.layerDigests()) {
                assertThat(blobs.resolve(Digests.hex(layer))).exists();
            }
            CliRun quiet = CliRun.run(tmp, "images", "--store", store, "-q");
            assertThat(quiet.out().lines()).containsExactly(variant.configDigest());
            assertThat(JSON.readTree(Skopeo.inspectLayout(Path.of(store), variantRef)).path("Digest").asText())
                    .isEqualTo(variant.manifestDigest());
        }
    }

    /** A second image in {@code app}'s layout: same layers, another config, so another manifest. */
    private record Variant(String manifestDigest, String configDigest, long configSize) {
    }

    private static Variant addVariantSharingLayers(Image app, String refName) throws IOException {
        Path layout = app.layoutDir();
        ObjectNode config = (ObjectNode) JSON.readTree(app.blobPath(app.configDigest()).toFile());
        ((ObjectNode) config.path("config")).putArray("Cmd").add("/bin/variant");
        byte[] configBytes = JSON.writeValueAsBytes(config);
        String configDigest = writeBlob(layout, configBytes);
        ObjectNode manifest = (ObjectNode) JSON.readTree(app.blobPath(app.manifestDigest()).toFile());
        ((ObjectNode) manifest.path("config")).put("digest", configDigest).put("size", configBytes.length);
        byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
        String manifestDigest = writeBlob(layout, manifestBytes);
        ObjectNode index = (ObjectNode) JSON.readTree(layout.resolve("index.json").toFile());
        ObjectNode entry = ((ArrayNode) index.path("manifests")).addObject();
        entry.put("mediaType", manifest.path("mediaType").asText());
        entry.put("digest", manifestDigest);
        entry.put("size", manifestBytes.length);
        entry.putObject("annotations").put("org.opencontainers.image.ref.name", refName);
        Files.write(layout.resolve("index.json"), JSON.writeValueAsBytes(index));
        return new Variant(manifestDigest, configDigest, configBytes.length);
    }

    private static String writeBlob(Path layout, byte[] bytes) throws IOException {
        String digest = Digests.sha256(bytes);
        Files.write(ImageGenerator.blobPath(layout, digest), bytes);
        return digest;
    }

    /** Runs a command with a bounded wait; returns stdout, or fails with everything it printed. */
    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        p.getOutputStream().close();
        var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " timed out");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + p.exitValue() + ": " + out.join()
                    + err.join());
        }
        return out.join();
    }

    private static String drain(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<unreadable: " + e.getMessage() + ">";
        }
    }

    /**
     * A private containerd (the Debian package's binary) with root, state and socket in a temporary directory,
     * CRI and other plugins this test does not need disabled. Stopped by {@link #close}.
     */
    static final class Containerd implements AutoCloseable {
        private final Process process;
        private final Path socket;
        private final Path log;

        private final boolean root;

        private Containerd(Process process, Path socket, Path log, boolean root) {
            this.process = process;
            this.socket = socket;
            this.log = log;
            this.root = root;
        }

        /** containerd's socket, for a {@code ctr --address} of a test's own. */
        Path socket() {
            return socket;
        }

        /** Whether containerd runs as root (and so can unpack layers). */
        boolean root() {
            return root;
        }

        static Containerd start(Path dir) throws IOException, InterruptedException {
            Path socket = dir.resolve("c.sock");
            // the sockets are chowned to uid/gid (default 0, which fails unless root): use ours
            int uid = (Integer) Files.getAttribute(dir, "unix:uid");
            int gid = (Integer) Files.getAttribute(dir, "unix:gid");
            String owner = "  uid = " + uid + "\n  gid = " + gid;
            Path config = Files.writeString(dir.resolve("config.toml"), String.join("\n",
                    "version = 2",
                    "root = \"" + dir.resolve("root") + "\"",
                    "state = \"" + dir.resolve("state") + "\"",
                    "disabled_plugins = [\"io.containerd.grpc.v1.cri\", \"io.containerd.internal.v1.opt\",",
                    "  \"io.containerd.snapshotter.v1.aufs\", \"io.containerd.snapshotter.v1.btrfs\",",
                    "  \"io.containerd.snapshotter.v1.devmapper\", \"io.containerd.snapshotter.v1.zfs\",",
                    "  \"io.containerd.tracing.processor.v1.otlp\", \"io.containerd.internal.v1.tracing\"]",
                    "[grpc]",
                    "  address = \"" + socket + "\"",
                    owner,
                    "[ttrpc]",
                    "  address = \"" + socket + ".ttrpc\"",
                    owner,
                    "[debug]",
                    "  address = \"\"",
                    "[metrics]",
                    "  address = \"\"",
                    ""));
            Path log = dir.resolve("containerd.log");
            Process p = new ProcessBuilder("containerd", "--config", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Containerd c = new Containerd(p, socket, log, uid == 0);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                if (!p.isAlive()) {
                    throw new AssertionError("containerd exited " + p.exitValue() + ": " + c.log());
                }
                if (Files.exists(socket) && c.tryCtr("version")) {
                    return c;
                }
                if (System.nanoTime() > deadline) {
                    c.close();
                    throw new AssertionError("containerd did not answer within 30 s: " + c.log());
                }
                Thread.sleep(100);
            }
        }

        private boolean tryCtr(String... args) throws IOException, InterruptedException {
            try {
                ctr(args);
                return true;
            } catch (AssertionError e) {
                return false;
            }
        }

        /** {@code ctr --address SOCKET ARGS}: stdout, or an AssertionError with its output and containerd's log. */
        String ctr(String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of("ctr", "--address", socket.toString()));
            cmd.addAll(List.of(args));
            try {
                return run(cmd);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\ncontainerd log:\n" + log(), e);
            }
        }

        String log() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return "<no log: " + e.getMessage() + ">";
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(15, TimeUnit.SECONDS);
            }
        }
    }
}
