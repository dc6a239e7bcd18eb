package dev.jpull.cli;

import static dev.jpull.cli.CliEndToEndTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpull.cli.CliEndToEndTest.Run;
import dev.jpull.testdata.ClosedPort;
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

/** The command-line tool against a real registry with basic auth, behind a dead first mirror. */
class CliEndToEndIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void pullsThroughADeadMirrorWithBasicAuthAndReportsWhatSkopeoReports() throws IOException {
        try (RegistryFixture reg = RegistryFixture.start(Mode.BASIC_AUTH)) {
            MultiPlatformImage image = new ImageGenerator(5).multiPlatform(tmp.resolve("layout"), "img");
            Skopeo.copyToRegistry(image.layoutDir(), "img", reg, "library/alpine:3.20");
            ClosedPort dead = ClosedPort.allocate();
            Path yaml = tmp.resolve("registries.yaml");
            Files.writeString(yaml, "mirrors:\n  \"" + reg.hostPort() + "\":\n    endpoint:\n      - \"http://"
                    + dead.hostPort() + "\"\nconfigs:\n  \"" + reg.hostPort() + "\":\n    auth:\n      username: "
                    + reg.username() + "\n      password: " + reg.password() + "\n");
            String ref = reg.hostPort() + "/library/alpine:3.20";
            String store = tmp.resolve("store").toString();

            Run json = run("pull", "--config", yaml.toString(), "--store", store, "--platform", "linux/arm/v7",
                    "-o", "json", ref);

            assertThat(json.exit()).as(json.err()).isZero();
            JsonNode r = JSON.readTree(json.out());
            assertThat(r.path("reference").asText()).isEqualTo(ref);
            assertThat(r.path("digest").asText()).isEqualTo(Skopeo.inspectDigest(reg, "library/alpine:3.20"));
            assertThat(r.path("manifestDigest").asText()).isEqualTo(image.child("linux/arm/v7").manifestDigest());
            assertThat(r.path("imageId").asText()).isEqualTo(image.child("linux/arm/v7").configDigest());
            assertThat(r.path("platform").asText()).isEqualTo("linux/arm/v7");
            assertThat(r.path("endpoint").asText()).isEqualTo("http://" + reg.hostPort() + "/v2");
            assertThat(r.path("attempts").get(0).path("outcome").asText()).isEqualTo("refused");
            assertThat(r.path("attempts").get(0).path("endpoint").asText()).isEqualTo("http://" + dead.hostPort() + "/v2");
            assertThat(json.err()).contains(dead.hostPort()).contains("refused").doesNotContain(reg.password());
            assertThat(json.out()).doesNotContain(reg.password());
            JsonNode inspected = JSON.readTree(Skopeo.inspectLayout(Path.of(store), ref));
            assertThat(inspected.path("Digest").asText()).isEqualTo(r.path("manifestDigest").asText());
            assertThat(inspected.path("Architecture").asText()).isEqualTo("arm");

            // the crictl habit: `jpull IMAGE`, text output, already in the store
            Run text = run("--config", yaml.toString(), "--store", store, "--platform", "linux/arm/v7", ref);
            assertThat(text.exit()).as(text.err()).isZero();
            assertThat(text.out().lines().toList()).containsExactly(
                    "Digest: " + r.path("digest").asText(),
                    "Image is up to date for " + r.path("imageId").asText());
        }
    }

    @Test
    void aPullThatFailsEverywhereExitsOneNamingEveryEndpoint() throws IOException {
        try (RegistryFixture empty = RegistryFixture.startEmpty()) {
            ClosedPort dead = ClosedPort.allocate();
            Path yaml = tmp.resolve("registries.yaml");
            Files.writeString(yaml, "mirrors:\n  \"" + empty.hostPort() + "\":\n    endpoint:\n      - \"http://"
                    + dead.hostPort() + "\"\n");

            Run r = run("pull", "-c", yaml.toString(), "--store", tmp.resolve("s").toString(),
                    empty.hostPort() + "/library/nothing:1");

            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            String last = r.err().lines().reduce((a, b) -> b).orElseThrow();
            assertThat(last).contains("http://" + dead.hostPort() + "/v2 -> refused")
                    .contains("http://" + empty.hostPort() + "/v2 -> not-found (HTTP 404)")
                    .contains("MANIFEST_UNKNOWN");
            assertThat(r.err()).doesNotContain("\tat ");
        }
    }

    @Test
    void anInvalidEndpointIsSkippedWithItsPositionAndThePullUsesTheNextOne() throws IOException {
        // issue 8 point 7: an endpoint with a space in the host (or a port out of range) used to be listed by
        // resolve and then to kill pull with "internal error ... Invalid URL host"
        try (RegistryFixture reg = RegistryFixture.start(Mode.PLAIN)) {
            var image = new ImageGenerator(7).singlePlatform(tmp.resolve("layout"), "img", 1, 2048);
            Skopeo.copyToRegistry(image.layoutDir(), "img", reg, "library/app:1");
            Path yaml = tmp.resolve("bad.yaml");
            Files.writeString(yaml, "mirrors:\n  \"" + reg.hostPort() + "\":\n    endpoint:\n"
                    + "      - \"http://127.0.0.1 :5700\"\n"
                    + "      - http://127.0.0.1:99999\n"
                    + "      - \"http://" + reg.hostPort() + "\"\n");
            String ref = reg.hostPort() + "/library/app:1";
            String spaceWarning = "jpull: warning: " + yaml + ":4:9: mirrors.\"" + reg.hostPort() + "\": ignoring"
                    + " invalid endpoint \"http://127.0.0.1 :5700\": invalid character ' ' in host name";
            String portWarning = "jpull: warning: " + yaml + ":5:9: mirrors.\"" + reg.hostPort() + "\": ignoring"
                    + " invalid endpoint \"http://127.0.0.1:99999\": invalid port 99999";

            Run pull = run("pull", "-c", yaml.toString(), "--store", tmp.resolve("store").toString(), ref);

            assertThat(pull.exit()).as(pull.err()).isZero();
            assertThat(pull.err()).doesNotContain("internal error").contains(spaceWarning).contains(portWarning);
            assertThat(pull.out()).contains("Digest: " + image.manifestDigest());

            Run resolve = run("resolve", "-c", yaml.toString(), ref);
            assertThat(resolve.exit()).as(resolve.err()).isZero();
            assertThat(resolve.err()).contains(spaceWarning).contains(portWarning);
            assertThat(resolve.out()).contains("http://" + reg.hostPort() + "/v2").doesNotContain("5700", "99999");
        }
    }
}
