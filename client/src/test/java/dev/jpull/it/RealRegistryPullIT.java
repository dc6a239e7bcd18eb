package dev.jpull.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpull.BlobResult;
import dev.jpull.Jpull;
import dev.jpull.PullResult;
import dev.jpull.RegistriesConfig;
import dev.jpull.internal.oci.Digests;
import dev.jpull.testdata.Image;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.MultiPlatformImage;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.RegistryFixture.Mode;
import dev.jpull.testdata.Skopeo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * End to end against the real distribution registry in each auth/TLS mode: images generated as OCI layouts are
 * pushed with skopeo, pulled with jpull through a registries.yaml written the way a K3s operator would, and checked
 * against skopeo (the independent oracle) both on the registry and on jpull's store.
 */
class RealRegistryPullIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Mode.class)
    void pullsMultiPlatformAndMultiLayerImagesInEveryMode(Mode mode) throws IOException {
        try (RegistryFixture reg = RegistryFixture.start(mode)) {
            ImageGenerator gen = new ImageGenerator(42);
            MultiPlatformImage multi = gen.multiPlatform(tmp.resolve("layout"), "multi");
            Image layered = gen.singlePlatform(tmp.resolve("layout"), "layered", 3, 200_000);
            Skopeo.copyToRegistry(multi.layoutDir(), "multi", reg, "library/multi:1.0");
            Skopeo.copyToRegistry(layered.layoutDir(), "layered", reg, "team/layered:2.0");

            RegistriesConfig config = RegistriesConfig.load(writeRegistriesYaml(reg));
            Path store = tmp.resolve("store");

            for (String platform : multi.platforms()) {
                Jpull jpull = Jpull.builder().config(config).store(store).platform(platform).build();
                String ref = reg.hostPort() + "/library/multi:1.0";
                PullResult r = jpull.pull(ref);
                Image child = multi.child(platform);
                assertThat(r.digest()).isEqualTo(Skopeo.inspectDigest(reg, "library/multi:1.0"))
                        .isEqualTo(multi.indexDigest());
                assertThat(r.manifestDigest()).isEqualTo(child.manifestDigest());
                assertThat(r.imageId()).isEqualTo(child.configDigest());
                assertThat(r.platform()).isEqualTo(platform);
                assertThat(r.reference()).isEqualTo(ref);
                assertStoreReadableBySkopeo(store, r);
            }

            Jpull jpull = Jpull.builder().config(config).store(store).build();
            PullResult r = jpull.pull(reg.hostPort() + "/team/layered:2.0");
            assertThat(r.digest()).isEqualTo(Skopeo.inspectDigest(reg, "team/layered:2.0"))
                    .isEqualTo(layered.manifestDigest()).isEqualTo(r.manifestDigest());
            assertThat(r.imageId()).isEqualTo(layered.configDigest());
            assertThat(r.blobs()).extracting(BlobResult::digest)
                    .containsExactlyElementsOf(concat(layered.configDigest(), layered.layerDigests()));
            assertThat(r.blobs()).allSatisfy(b -> assertThat(b.cached()).isFalse());
            assertThat(r.attempts()).isEmpty();
            assertStoreReadableBySkopeo(store, r);

            // a second pull of the same image: everything cached, same answer
            PullResult again = jpull.pull(reg.hostPort() + "/team/layered:2.0");
            assertThat(again.digest()).isEqualTo(r.digest());
            assertThat(again.blobs()).allSatisfy(b -> {
                assertThat(b.cached()).isTrue();
                assertThat(b.endpoint()).isNull();
            });

            // by digest
            PullResult byDigest = jpull.pull(reg.hostPort() + "/team/layered@" + layered.manifestDigest());
            assertThat(byDigest.manifestDigest()).isEqualTo(layered.manifestDigest());
            assertStoreReadableBySkopeo(store, byDigest);
        }
    }

    @Test
    void aLocalTlsRegistryWithoutConfigurationIsPulledOverTlsAfterItsPlainHttpAnswer() throws IOException {
        // containerd's localhost default (no registries.yaml entry): https without verification, else http. jpull asks
        // a loopback host over plain http first; the real registry answers that with 400, so TLS is tried and used
        try (RegistryFixture reg = RegistryFixture.start(Mode.TLS)) {
            Image image = new ImageGenerator(7).singlePlatform(tmp.resolve("layout"), "img", 2, 50_000);
            Skopeo.copyToRegistry(image.layoutDir(), "img", reg, "library/img:1");
            Jpull jpull = Jpull.builder().config(RegistriesConfig.empty()).store(tmp.resolve("store")).build();
            PullResult r = jpull.pull(reg.hostPort() + "/library/img:1");
            assertThat(r.digest()).isEqualTo(Skopeo.inspectDigest(reg, "library/img:1"));
            assertThat(r.endpoint()).isEqualTo("http://" + reg.hostPort() + "/v2");
            assertThat(r.attempts()).isEmpty();
        }
    }

    /** A registries.yaml as an operator would write it for this registry (mirror entry + configs by host). */
    private Path writeRegistriesYaml(RegistryFixture reg) throws IOException {
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
        Path file = tmp.resolve("registries.yaml");
        Files.writeString(file, y);
        return file;
    }

    private static void assertStoreReadableBySkopeo(Path store, PullResult r) throws IOException {
        JsonNode inspected = JSON.readTree(Skopeo.inspectLayout(store, r.reference()));
        assertThat(inspected.path("Digest").asText()).isEqualTo(r.manifestDigest());
        for (BlobResult b : r.blobs()) {
            Path blob = store.resolve("blobs/sha256/" + Digests.hex(b.digest()));
            assertThat(Digests.sha256(Files.readAllBytes(blob))).isEqualTo(b.digest());
        }
        assertThat(store.resolve("ingest")).satisfiesAnyOf(
                p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());
    }

    private static java.util.List<String> concat(String first, java.util.List<String> rest) {
        var all = new java.util.ArrayList<String>();
        all.add(first);
        all.addAll(rest);
        return all;
    }
}
