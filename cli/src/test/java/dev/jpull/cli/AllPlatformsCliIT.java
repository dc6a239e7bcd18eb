package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpull.internal.oci.Digests;
import dev.jpull.testdata.ContainerdFixture;
import dev.jpull.testdata.Image;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.MultiPlatformImage;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.RegistryFixture.Mode;
import dev.jpull.testdata.Skopeo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jpull pull --all-platforms} and {@code --platform} repeated, end to end: the three-platform index from
 * the real registry into the store (text and JSON name the platforms), skopeo {@code copy --all} reads the store,
 * {@code save} writes every platform and a real containerd imports the archive with {@code --all-platforms},
 * listing the index digest skopeo gives; {@code pull --containerd --all-platforms} leaves every platform's content
 * in containerd under the index.
 */
class AllPlatformsCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void allPlatformsIntoTheStoreSaveAndContainerd() throws Exception {
        try (RegistryFixture reg = RegistryFixture.start(Mode.PLAIN)) {
            MultiPlatformImage multi = new ImageGenerator(23).multiPlatform(tmp.resolve("layout"), "multi");
            Skopeo.copyToRegistry(multi.layoutDir(), "multi", reg, "library/multi:3");
            String digest = Skopeo.inspectDigest(reg, "library/multi:3");
            Path yaml = Files.writeString(tmp.resolve("registries.yaml"), "mirrors:\n  \"" + reg.hostPort()
                    + "\":\n    endpoint:\n      - \"http://" + reg.hostPort() + "\"\n");
            String ref = reg.hostPort() + "/library/multi:3";
            String store = tmp.resolve("store").toString();
            Image amd64 = multi.child("linux/amd64");

            CliRun text = CliRun.run(tmp, "pull", "--all-platforms", "-c", yaml.toString(), "--store", store, ref);
            assertThat(text.exitCode()).as(text.err()).isZero();
            List<String> expected = new ArrayList<>();
            for (Image child : multi.children()) {
                expected.add("Platform: " + child.platform() + " " + child.manifestDigest());
            }
            expected.add("Digest: " + digest);
            expected.add("Image is up to date for " + amd64.configDigest());
            assertThat(text.out().lines()).containsExactlyElementsOf(expected);

            CliRun json = CliRun.run(tmp, "pull", "--all-platforms", "-c", yaml.toString(), "--store", store,
                    "-o", "json", ref);
            assertThat(json.exitCode()).as(json.err()).isZero();
            JsonNode report = JSON.readTree(json.out());
            assertThat(report.path("digest").asText()).isEqualTo(digest);
            assertThat(report.path("indexDigest").asText()).isEqualTo(digest);
            assertThat(report.path("platforms").findValuesAsText("platform"))
                    .containsExactlyElementsOf(multi.platforms());
            assertThat(report.path("platforms").findValuesAsText("imageId"))
                    .containsExactlyElementsOf(multi.children().stream().map(Image::configDigest).toList());
            assertThat(report.path("blobs")).allSatisfy(b -> assertThat(b.path("cached").asBoolean()).isTrue());

            // skopeo copies every platform out of the store
            Path other = tmp.resolve("other");
            SaveImportIT.run(List.of("skopeo", "copy", "--all", "--quiet", "oci:" + store + ":" + ref,
                    "oci:" + other + ":copy"));
            for (Image child : multi.children()) {
                List<String> blobs = new ArrayList<>(List.of(child.manifestDigest(), child.configDigest()));
                blobs.addAll(child.layerDigests());
                for (String d : blobs) {
                    assertThat(Digests.sha256(Files.readAllBytes(other.resolve("blobs/sha256/" + Digests.hex(d)))))
                            .isEqualTo(d);
                }
            }

            // --platform twice: just those two, under an index of the two; the third platform is not fetched
            String two = tmp.resolve("two").toString();
            CliRun named = CliRun.run(tmp, "pull", "--platform", "linux/arm64", "--platform", "linux/arm/v7",
                    "-c", yaml.toString(), "--store", two, "-o", "json", ref);
            assertThat(named.exitCode()).as(named.err()).isZero();
            JsonNode namedReport = JSON.readTree(named.out());
            assertThat(namedReport.path("platforms").findValuesAsText("platform"))
                    .containsExactly("linux/arm64/v8", "linux/arm/v7");
            assertThat(namedReport.path("imageId").asText()).isEqualTo(multi.child("linux/arm64/v8").configDigest());
            assertThat(Path.of(two, "blobs/sha256", Digests.hex(amd64.manifestDigest()))).doesNotExist();
            assertThat(Path.of(two, "blobs/sha256", Digests.hex(amd64.configDigest()))).doesNotExist();
            assertThat(JSON.readTree(Skopeo.inspectLayoutRaw(Path.of(two), ref)).path("manifests")).hasSize(2);
            CliRun namedText = CliRun.run(tmp, "pull", "--platform", "linux/arm64", "--platform", "linux/arm/v7",
                    "-c", yaml.toString(), "--store", two, ref);
            assertThat(namedText.out()).contains("Index: " + namedReport.path("indexDigest").asText()
                    + " (2 of the platforms of " + digest + ")");

            // save writes every platform; containerd imports them all under the index digest
            Path archive = tmp.resolve("multi.tar");
            CliRun save = CliRun.run(tmp, "save", "--store", store, "-o", archive.toString(), ref);
            assertThat(save.exitCode()).as(save.err()).isZero();
            try (ContainerdFixture containerd = ContainerdFixture.start(tmp.resolve("ctd"))) {
                containerd.ctr("-n", "imported", "images", "import", "--all-platforms", "--no-unpack",
                        archive.toString());
                List<String> listed = containerd.ctr("-n", "imported", "images", "ls").lines().skip(1).toList();
                assertThat(listed).hasSize(1);
                String[] cols = listed.get(0).trim().split("\\s+");
                assertThat(cols[0]).isEqualTo(ref);
                assertThat(cols[2]).isEqualTo(digest);
                assertThat(listed.get(0)).contains("linux/amd64", "linux/arm64/v8", "linux/arm/v7");
                assertContent(containerd, "imported", multi);

                // and straight into containerd
                CliRun ctd = CliRun.run(tmp, "pull", "--all-platforms", "--containerd",
                        containerd.socket().toString(), "--namespace", "pulled", "--no-unpack",
                        "-c", yaml.toString(), ref);
                assertThat(ctd.exitCode()).as(ctd.err()).isZero();
                assertThat(ctd.out()).endsWith("Digest: " + digest + "\nImage is up to date for "
                        + amd64.configDigest() + "\n");
                String pulled = containerd.ctr("-n", "pulled", "images", "ls");
                assertThat(pulled).contains(ref).contains(digest);
                assertThat(pulled).contains("linux/amd64", "linux/arm64/v8", "linux/arm/v7");
                assertContent(containerd, "pulled", multi);
            }
        }
    }

    private static void assertContent(ContainerdFixture containerd, String ns, MultiPlatformImage multi) {
        List<String> content = containerd.ctr("-n", ns, "content", "ls", "-q").lines().toList();
        for (Image child : multi.children()) {
            assertThat(content).contains(child.manifestDigest(), child.configDigest());
            assertThat(content).containsAll(child.layerDigests());
        }
    }
}
