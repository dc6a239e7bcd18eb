package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpull.testdata.FaultProxy;
import dev.jpull.testdata.Fault;
import dev.jpull.testdata.Image;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.RegistryFixture.Mode;
import dev.jpull.testdata.Skopeo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code jpull pull} with mirrors {@code [fault, real registry]}: for every fault the command exits 0 with the
 * digest skopeo reports, and the trace on stderr names the mirror and what went wrong.
 */
class CliFaultProxyIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path tmp;
    private static RegistryFixture registry;
    private static Image image;

    @BeforeAll
    static void seed() throws Exception {
        tmp = Files.createTempDirectory("jpull-cli-fault");
        registry = RegistryFixture.start(Mode.PLAIN);
        image = new ImageGenerator(21).singlePlatform(tmp.resolve("layout"), "app", 3, 400_000);
        Skopeo.copyToRegistry(image.layoutDir(), "app", registry, "library/app:1.0");
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void pullExitsZeroWithTheRightDigestWhateverTheFirstMirrorDoes(Fault fault) throws Exception {
        try (FaultProxy proxy = FaultProxy.start(registry)) {
            if (fault == Fault.NEVER_ANSWER) {
                proxy.fault(fault);
            } else {
                proxy.fault(fault, FaultProxy.blob(image.layerDigests().get(1)));
            }
            Path yaml = tmp.resolve("registries-" + fault + ".yaml");
            Files.writeString(yaml, "mirrors:\n  \"" + registry.hostPort() + "\":\n    endpoint:\n      - \"http://"
                    + proxy.hostPort() + "\"\n");
            Path store = tmp.resolve("store-" + fault);

            var r = CliEndToEndTest.run("pull", "-c", yaml.toString(), "--store", store.toString(),
                    "--header-timeout", "2s", "--read-timeout", "2s", "-o", "json",
                    registry.hostPort() + "/library/app:1.0");

            assertThat(r.exit()).as(r.err()).isZero();
            JsonNode out = JSON.readTree(r.out());
            assertThat(out.path("digest").asText()).isEqualTo(Skopeo.inspectDigest(registry, "library/app:1.0"));
            assertThat(out.path("imageId").asText()).isEqualTo(image.configDigest());
            assertThat(out.path("attempts").get(0).path("endpoint").asText())
                    .isEqualTo("http://" + proxy.hostPort() + "/v2");
            assertThat(r.err()).contains("http://" + proxy.hostPort() + "/v2")
                    .contains(out.path("attempts").get(0).path("outcome").asText());
        }
    }

    /** {@code --speed-limit/--speed-time} end a stall even when {@code --read-timeout 0} would wait forever. */
    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.Timeout(value = 120, unit = java.util.concurrent.TimeUnit.SECONDS)
    void aStallingMirrorIsCutByTheLowSpeedLimitWithoutAReadTimeout() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(registry)) {
            proxy.fault(Fault.STALL_MID_BODY, FaultProxy.blob(image.layerDigests().get(1)));
            Path yaml = tmp.resolve("registries-low-speed.yaml");
            Files.writeString(yaml, "mirrors:\n  \"" + registry.hostPort() + "\":\n    endpoint:\n      - \"http://"
                    + proxy.hostPort() + "\"\n");

            var r = CliEndToEndTest.run("pull", "-c", yaml.toString(), "--store", tmp.resolve("store-low").toString(),
                    "--read-timeout", "0", "--speed-limit", "1k", "--speed-time", "2s", "--hedge-delay", "0", "-o", "json",
                    registry.hostPort() + "/library/app:1.0");

            assertThat(r.exit()).as(r.err()).isZero();
            JsonNode attempts = JSON.readTree(r.out()).path("attempts");
            assertThat(attempts.get(0).path("outcome").asText()).isEqualTo("timeout");
            assertThat(attempts.get(0).path("error").asText()).contains("slower than 1024 bytes/s for 2s");
            assertThat(r.err()).contains("slower than 1024 bytes/s");
        }
    }
}
