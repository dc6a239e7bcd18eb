package dev.jpull;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.testdata.ClosedPort;
import dev.jpull.testdata.Image;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.RegistryFixture.Mode;
import dev.jpull.testdata.Skopeo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Using the library" example ({@link ReadmeExampleTest#pull}) works: through a registries.yaml whose
 * mirror is dead it pulls from a real registry and reports the failover both as events and in the result.
 */
class ReadmeExampleIT {

    @TempDir
    Path tmp;

    @Test
    void theExamplePullsThroughADeadMirrorAndReportsTheFailover() throws IOException {
        try (RegistryFixture registry = RegistryFixture.start(Mode.PLAIN)) {
            Image image = new ImageGenerator(31).singlePlatform(tmp.resolve("layout"), "img", 2, 50_000);
            Skopeo.copyToRegistry(image.layoutDir(), "img", registry, "team/app:1.0");
            ClosedPort dead = ClosedPort.allocate();
            Path yaml = tmp.resolve("registries.yaml");
            Files.writeString(yaml, "mirrors:\n  \"" + registry.hostPort() + "\":\n    endpoint:\n      - \"http://"
                    + dead.hostPort() + "\"\n");
            ByteArrayOutputStream log = new ByteArrayOutputStream();

            PullResult result = ReadmeExampleTest.pull(yaml, tmp.resolve("store"),
                    registry.hostPort() + "/team/app:1.0", new PrintStream(log, true, StandardCharsets.UTF_8));

            assertThat(result.digest()).isEqualTo(image.manifestDigest());
            String deadUrl = "http://" + dead.hostPort() + "/v2";
            String liveUrl = registry.baseUrl() + "/v2";
            assertThat(result.endpoint()).isEqualTo(liveUrl);
            assertThat(result.attempts()).extracting(Attempt::endpoint, a -> a.outcome().label())
                    .startsWith(org.assertj.core.groups.Tuple.tuple(deadUrl, "refused"));
            String text = log.toString(StandardCharsets.UTF_8);
            assertThat(text).contains("failed: " + deadUrl + " manifest 1.0: refused")
                    .contains("recovered: " + liveUrl + " manifest 1.0")
                    .contains("blob " + image.layerDigests().get(0) + " from " + liveUrl)
                    .contains("digest " + image.manifestDigest() + " from " + liveUrl)
                    .contains("attempt " + deadUrl + " manifest 1.0 -> refused in ");
        }
    }
}
