package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpull.testdata.Image;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.ContainerdFixture;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.RegistryFixture.Mode;
import dev.jpull.testdata.Skopeo;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code save -o -} piped into {@code ctr images import -} by a shell, and {@code jpull load} of archives made by
 * skopeo from a real registry: {@code docker-archive} (no manifest: jpull writes one, the image ID stays) and
 * {@code oci-archive} (every digest kept), and jpull's own archive.
 */
class LoadIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private String pushed(RegistryFixture reg, Image[] image) throws Exception {
        Path layout = tmp.resolve("layout");
        image[0] = new ImageGenerator(31).singlePlatform(layout, "img", 2, 40_000);
        Skopeo.copyToRegistry(layout, "img", reg, "team/app:1.0");
        return reg.hostPort() + "/team/app:1.0";
    }

    @Test
    void saveToStdoutPipesIntoCtrImport() throws Exception {
        try (RegistryFixture reg = RegistryFixture.start(Mode.PLAIN)) {
            Image[] image = new Image[1];
            String ref = pushed(reg, image);
            String store = tmp.resolve("store").toString();
            CliRun pull = CliRun.run(tmp, "pull", "--store", store, ref);
            assertThat(pull.exitCode()).as(pull.err()).isZero();

            try (ContainerdFixture containerd = ContainerdFixture.start(tmp.resolve("ctd"))) {
                String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                String classPath = Stream.of(System.getProperty("jdk.module.path", ""),
                        System.getProperty("java.class.path")).filter(s -> !s.isEmpty())
                        .collect(Collectors.joining(File.pathSeparator));
                String pipeline = "set -o pipefail; \"$1\" -cp \"$2\" " + Main.class.getName()
                        + " save --store \"$3\" -o - \"$4\" | ctr --address \"$5\" images import --no-unpack -";
                SaveImportIT.run(List.of("bash", "-c", pipeline, "bash", java, classPath, store, ref,
                        containerd.socket().toString()));
                Map<String, String> imported = new LinkedHashMap<>();
                for (String line : containerd.ctr("images", "ls").lines().skip(1).toList()) {
                    String[] cols = line.trim().split("\\s+");
                    imported.put(cols[0], cols[2]);
                }
                assertThat(imported).containsExactly(Map.entry(ref, image[0].manifestDigest()));
            }
        }
    }

    @Test
    void loadsSkopeosDockerAndOciArchivesAndItsOwn() throws Exception {
        try (RegistryFixture reg = RegistryFixture.start(Mode.PLAIN)) {
            Image[] image = new Image[1];
            String ref = pushed(reg, image);
            String registryDigest = Skopeo.inspectDigest(reg, "team/app:1.0");
            Path docker = tmp.resolve("docker.tar");
            Path oci = tmp.resolve("oci.tar");
            SaveImportIT.run(List.of("skopeo", "copy", "--quiet", "--src-tls-verify=false", "docker://" + ref,
                    "docker-archive:" + docker + ":" + ref));
            SaveImportIT.run(List.of("skopeo", "copy", "--quiet", "--src-tls-verify=false", "docker://" + ref,
                    "oci-archive:" + oci + ":" + ref));

            // oci-archive: the registry's digests
            String ociStore = tmp.resolve("from-oci").toString();
            CliRun loadOci = CliRun.run(tmp, "load", "--store", ociStore, oci.toString());
            assertThat(loadOci.exitCode()).as(loadOci.err()).isZero();
            assertThat(loadOci.out().lines()).containsExactly("Loaded image: " + ref);
            assertThat(loadOci.err()).isEmpty();
            JsonNode listed = images(ociStore);
            assertThat(listed.path("manifestDigest").asText()).isEqualTo(registryDigest);
            assertThat(listed.path("imageId").asText()).isEqualTo(image[0].configDigest());
            assertThat(JSON.readTree(Skopeo.inspectLayout(Path.of(ociStore), ref)).path("Digest").asText())
                    .isEqualTo(registryDigest);

            // docker-archive: same image id, a manifest of jpull's (said on stderr), layers as the archive has them
            String dockerStore = tmp.resolve("from-docker").toString();
            CliRun loadDocker = CliRun.run(tmp, "load", "--store", dockerStore, docker.toString());
            assertThat(loadDocker.exitCode()).as(loadDocker.err()).isZero();
            assertThat(loadDocker.out().lines()).containsExactly("Loaded image: " + ref);
            assertThat(loadDocker.err()).contains("is a Docker archive").contains("not the registry's");
            listed = images(dockerStore);
            assertThat(listed.path("imageId").asText()).isEqualTo(image[0].configDigest());
            assertThat(listed.path("manifestDigest").asText()).isNotEqualTo(registryDigest);
            JsonNode raw = JSON.readTree(Skopeo.inspectLayoutRaw(Path.of(dockerStore), ref));
            assertThat(raw.path("config").path("digest").asText()).isEqualTo(image[0].configDigest());
            assertThat(raw.path("layers")).hasSize(2);
            CliRun verify = CliRun.run(tmp, "verify", "--store", dockerStore);
            assertThat(verify.exitCode()).as(verify.out()).isZero();
            // skopeo copies what jpull loaded from the docker archive back out: its layers are the archive's
            Path back = tmp.resolve("back");
            SaveImportIT.run(List.of("skopeo", "copy", "--quiet", "oci:" + dockerStore + ":" + ref,
                    "oci:" + back + ":x"));

            // jpull's own archive, saved from the OCI-loaded store: digests kept through save and load
            Path own = tmp.resolve("own.tar");
            assertThat(CliRun.run(tmp, "save", "--store", ociStore, "-o", own.toString(), ref).exitCode()).isZero();
            // what README says of checking an archive with skopeo: oci-archive: shows the pulled digest,
            // docker-archive: one skopeo computes for a manifest it makes up (Docker's format has none)
            assertThat(JSON.readTree(SaveImportIT.run(List.of("skopeo", "inspect", "oci-archive:" + own + ":" + ref)))
                    .path("Digest").asText()).isEqualTo(registryDigest);
            JsonNode viaDocker = JSON.readTree(SaveImportIT.run(List.of("skopeo", "inspect",
                    "docker-archive:" + own + ":" + ref)));
            assertThat(viaDocker.path("Digest").asText()).isNotEqualTo(registryDigest);
            String ownStore = tmp.resolve("from-own").toString();
            CliRun loadOwn = CliRun.run(tmp, "load", "--store", ownStore, own.toString());
            assertThat(loadOwn.exitCode()).as(loadOwn.err()).isZero();
            assertThat(images(ownStore).path("manifestDigest").asText()).isEqualTo(registryDigest);
        }
    }

    private static JsonNode images(String store) throws Exception {
        CliRun r = CliRun.run(Path.of(store).getParent(), "images", "--store", store, "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode images = JSON.readTree(r.out()).path("images");
        assertThat(images).hasSize(1);
        return images.get(0);
    }
}
