package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.testdata.Image;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.RegistryFixture.Mode;
import dev.jpull.testdata.Skopeo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code jpull pull} prints on stderr with {@code --debug}, with {@code -q} and by default (not a terminal). */
class CliMannersIT {
    private static RegistryFixture registry;
    private static Image image;
    private static Path yaml;

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws IOException {
        registry = RegistryFixture.start(Mode.BASIC_AUTH);
        image = new ImageGenerator(13).singlePlatform(shared.resolve("layout"), "img", 2, 300_000);
        Skopeo.copyToRegistry(image.layoutDir(), "img", registry, "library/manners:1");
        yaml = shared.resolve("registries.yaml");
        Files.writeString(yaml, "configs:\n  \"" + registry.hostPort() + "\":\n    auth:\n      username: "
                + registry.username() + "\n      password: " + registry.password() + "\n");
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    private CliRun pull(String... extra) {
        String[] args = new String[extra.length + 5];
        args[0] = "pull";
        args[1] = "--config";
        args[2] = yaml.toString();
        args[3] = "--store";
        args[4] = tmp.resolve("store").toString();
        System.arraycopy(extra, 0, args, 5, extra.length);
        return CliRun.run(tmp, args);
    }

    private String ref() {
        return registry.hostPort() + "/library/manners:1";
    }

    @Test
    void debugTracesRequestsAndResponsesWithoutThePassword() {
        CliRun r = pull("--debug", ref());

        assertThat(r.exitCode()).as(r.err()).isZero();
        String base = registry.baseUrl() + "/v2/library/manners";
        String basic = Base64.getEncoder().encodeToString(
                (registry.username() + ":" + registry.password()).getBytes(StandardCharsets.UTF_8));
        assertThat(r.err())
                .contains("> GET " + base + "/manifests/1\n")
                .contains("< 401 Unauthorized (")
                .contains("< Www-Authenticate: Basic realm=")
                .contains("> Authorization: Basic <redacted>\n")
                .contains("< 200 OK (")
                .contains("> GET " + base + "/blobs/" + image.layerDigests().get(0) + "\n")
                .doesNotContain(registry.password())
                .doesNotContain(basic);
        assertThat(r.out()).startsWith("Digest: " + image.manifestDigest());
    }

    @Test
    void withoutATerminalEveryDownloadedBlobHasAStartAndADoneLine() {
        CliRun r = pull(ref());

        assertThat(r.exitCode()).as(r.err()).isZero();
        String endpoint = registry.baseUrl() + "/v2";
        for (String layer : image.layerDigests()) {
            String id = layer.substring(0, "sha256:".length() + 12);
            assertThat(r.err()).containsPattern("(?m)^jpull: blob " + id + " \\([0-9.]+kB\\) from "
                    + endpoint + " \\.\\.\\.$");
            assertThat(r.err()).containsPattern("(?m)^jpull: blob " + id + " [0-9.]+kB from " + endpoint
                    + " in \\d+\\.\\d s$");
        }
        assertThat(r.err()).doesNotContain("\033").doesNotContain("> GET");
        assertThat(r.errLines()[r.errLines().length - 1]).startsWith("jpull: pulled " + ref() + ": 3 blobs from");
    }

    @Test
    void quietPrintsNothingOnStderrButErrors() throws IOException {
        Path withWarning = tmp.resolve("warn.yaml");
        Files.writeString(withWarning, Files.readString(yaml) + "bogus: 1\n");
        CliRun ok = CliRun.run(tmp, "pull", "-q", "-c", withWarning.toString(), "--store",
                tmp.resolve("store").toString(), ref());
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(ok.err()).isEmpty();
        assertThat(ok.out()).startsWith("Digest: " + image.manifestDigest());

        CliRun missing = CliRun.run(tmp, "--quiet", "-c", yaml.toString(), "--store",
                tmp.resolve("store").toString(), registry.hostPort() + "/library/absent:1");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.errLines()).hasSize(1);
        assertThat(missing.errLines()[0]).startsWith("jpull: ").contains("not-found");
    }
}
