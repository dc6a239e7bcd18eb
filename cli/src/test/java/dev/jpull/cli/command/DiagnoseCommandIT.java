package dev.jpull.cli.command;

import dev.jpull.cli.CliRun;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpull.testdata.Certs;
import dev.jpull.testdata.ClosedPort;
import dev.jpull.testdata.Image;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.RegistryFixture.Mode;
import dev.jpull.testdata.Skopeo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jpull diagnose} in-process against real registries: a plan of [closed port, TLS registry whose CA is not
 * the configured one, empty registry, registry with the image] names each problem and exits 0; without the good
 * registry it exits 1.
 */
class DiagnoseCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    private static ClosedPort closed;
    private static RegistryFixture tls;
    private static RegistryFixture empty;
    private static RegistryFixture good;
    private static Image image;
    private static Path config;

    @BeforeAll
    static void startRegistries() throws IOException {
        closed = ClosedPort.allocate();
        tls = RegistryFixture.start(Mode.TLS);
        empty = RegistryFixture.startEmpty();
        good = RegistryFixture.start(Mode.PLAIN);
        image = new ImageGenerator(7).singlePlatform(tmp.resolve("layout"), "app", 1, 1000);
        Skopeo.copyToRegistry(image.layoutDir(), "app", good, "library/app:1.0");
        // the image's registry is the good one: it is the default endpoint, tried after the three mirrors
        config = tmp.resolve("registries.yaml");
        Files.writeString(config, "mirrors:\n"
                + "  \"" + good.hostPort() + "\":\n"
                + "    endpoint:\n"
                + "      - \"http://" + closed.hostPort() + "\"\n"
                + "      - \"https://" + tls.hostPort() + "\"\n"
                + "      - \"http://" + empty.hostPort() + "\"\n"
                + "configs:\n"
                + "  \"" + tls.hostPort() + "\":\n"
                + "    tls:\n"
                + "      ca_file: " + Certs.get().wrongCaCert() + "\n");
    }

    @AfterAll
    static void stopRegistries() {
        for (RegistryFixture r : new RegistryFixture[] {tls, empty, good}) {
            if (r != null) {
                r.close();
            }
        }
    }

    private static String imageRef() {
        return good.hostPort() + "/library/app:1.0";
    }

    @Test
    void namesTheProblemOfEachEndpointAndExitsZeroWhenOneCanServe() {
        CliRun r = CliRun.run(tmp, "diagnose", "-c", config.toString(), imageRef());

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        List<String> lines = Arrays.asList(r.out().split("\\R"));
        assertThat(lines.get(0)).matches("#\\s+URL\\s+LATENCY\\s+VERDICT\\s+DETAIL");
        assertThat(lines.get(1)).startsWith("1  http://" + closed.hostPort() + "/v2")
                .contains(" unreachable ").contains("connection refused");
        assertThat(lines.get(2)).startsWith("2  https://" + tls.hostPort() + "/v2")
                .contains(" tls-error ").contains("not trusted");
        assertThat(lines.get(3)).startsWith("3  http://" + empty.hostPort() + "/v2")
                .contains(" not-found ").contains("404 MANIFEST_UNKNOWN");
        assertThat(lines.get(4)).startsWith("4  http://" + good.hostPort() + "/v2")
                .contains(" ok ").contains(image.manifestDigest());
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("hint: #2 unknown CA")
                .contains("configs.\"" + tls.hostPort() + "\".tls.ca_file").contains("jpull test CA"));
        assertThat(lines).contains("hint: #3 tag unknown: repository library/app has no tag 1.0 on this endpoint");
        assertThat(lines).noneSatisfy(l -> assertThat(l).startsWith("hint: #4"));
        assertThat(lines.get(lines.size() - 1)).isEqualTo("1 of 4 endpoints can serve " + imageRef());
    }

    @Test
    void exitsOneWhenNoEndpointCanServe() {
        CliRun r = CliRun.run(tmp, "diagnose", "--disable-default-endpoint", "-c", config.toString(), imageRef());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains(" unreachable ", " tls-error ", " not-found ").doesNotContain(" ok ")
                .endsWith("no endpoint can serve " + imageRef() + System.lineSeparator());
    }

    @Test
    void jsonHasEveryStepPerEndpoint() throws IOException {
        CliRun r = CliRun.run(tmp, "diagnose", "-o", "json", "-c", config.toString(), imageRef());

        assertThat(r.exitCode()).isZero();
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.path("reference").asText()).isEqualTo(imageRef());
        assertThat(root.path("servable").asBoolean()).isTrue();
        JsonNode eps = root.path("endpoints");
        assertThat(eps).hasSize(4);
        assertThat(eps).extracting(e -> e.path("verdict").asText())
                .containsExactly("unreachable", "tls-error", "not-found", "ok");

        JsonNode refused = eps.get(0);
        assertThat(refused.path("dns").path("addresses").get(0).asText()).isEqualTo("127.0.0.1");
        assertThat(refused.path("tcp").path("status").asText()).isEqualTo("refused");
        assertThat(refused.path("ping").isNull()).isTrue();
        assertThat(refused.path("latencyMs").isNull()).isTrue();

        JsonNode badCa = eps.get(1).path("tls");
        assertThat(badCa.path("verified").asBoolean()).isFalse();
        assertThat(badCa.path("failure").asText()).isEqualTo("untrusted");
        assertThat(badCa.path("issuer").asText()).contains("jpull test CA");
        assertThat(badCa.path("subject").asText()).isNotEmpty();
        assertThat(badCa.path("notAfter").asText()).matches("\\d{4}-.*Z");

        JsonNode notFound = eps.get(2);
        assertThat(notFound.path("ping").path("status").asInt()).isEqualTo(200);
        assertThat(notFound.path("ping").path("apiVersion").asText()).isEqualTo("registry/2.0");
        assertThat(notFound.path("manifest").path("status").asInt()).isEqualTo(404);
        assertThat(notFound.path("manifest").path("errorCode").asText()).isEqualTo("MANIFEST_UNKNOWN");
        assertThat(notFound.path("hints")).hasSize(1);

        JsonNode ok = eps.get(3);
        assertThat(ok.path("manifest").path("status").asInt()).isEqualTo(200);
        assertThat(ok.path("manifest").path("digest").asText()).isEqualTo(image.manifestDigest());
        assertThat(ok.path("manifest").path("mediaType").asText()).isEqualTo(ImageGenerator.MANIFEST_TYPE);
        assertThat(ok.path("auth").isNull()).isTrue();
        assertThat(ok.path("tls").isNull()).isTrue();
        assertThat(ok.path("hints")).isEmpty();
        assertThat(ok.path("latencyMs").asLong()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void diagnoseIsASubcommandEvenAfterOptions() {
        CliRun r = CliRun.run(tmp, "-c", config.toString(), "diagnose", "--disable-default-endpoint", imageRef());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).startsWith("#");
    }

    @Test
    void helpListsDiagnoseWithTheCommonOptions() {
        assertThat(CliRun.run(tmp, "--help").out()).containsPattern("(?m)^  diagnose  ");
        CliRun r = CliRun.run(tmp, "help", "diagnose");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("Usage: jpull diagnose")
                .contains("--config", "--platform", "--output", "--disable-default-endpoint", "--connect-timeout");
    }
}
