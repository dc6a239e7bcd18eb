package dev.jpull;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.testdata.ClosedPort;
import dev.jpull.testdata.MultiPlatformImage;
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
 * The README's "Ask the registry without pulling" example ({@link QueryExampleTest#ask}) works: through a
 * registries.yaml whose mirror is dead it answers from a real registry what skopeo answers, and pulls nothing.
 */
class QueryExampleIT {

    @TempDir
    Path tmp;

    @Test
    void theExampleAnswersThroughADeadMirrorAsSkopeoDoes() throws IOException {
        try (RegistryFixture registry = RegistryFixture.start(Mode.PLAIN)) {
            MultiPlatformImage image = new ImageGenerator(32).multiPlatform(tmp.resolve("layout"), "multi");
            Skopeo.copyToRegistry(image.layoutDir(), "multi", registry, "team/app:1.0");
            Skopeo.copyToRegistry(image.layoutDir(), "multi", registry, "team/app:1");
            ClosedPort dead = ClosedPort.allocate();
            Path yaml = tmp.resolve("registries.yaml");
            Files.writeString(yaml, "mirrors:\n  \"" + registry.hostPort() + "\":\n    endpoint:\n      - \"http://"
                    + dead.hostPort() + "\"\n");
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            Path store = tmp.resolve("store");

            InspectResult r = QueryExampleTest.ask(yaml, store, registry.hostPort() + "/team/app:1.0",
                    registry.hostPort() + "/team/app", new PrintStream(log, true, StandardCharsets.UTF_8));

            String liveUrl = registry.baseUrl() + "/v2";
            assertThat(r.digest()).isEqualTo(Skopeo.inspectDigest(registry, "team/app:1.0"))
                    .isEqualTo(image.indexDigest());
            assertThat(new String(r.rawManifest(), StandardCharsets.UTF_8))
                    .isEqualTo(Skopeo.inspectRaw(registry, "team/app:1.0"));
            assertThat(r.manifestDigest()).isEqualTo(image.child("linux/amd64").manifestDigest());
            assertThat(r.image().configDigest()).isEqualTo(image.child("linux/amd64").configDigest());
            assertThat(r.platforms()).containsExactlyElementsOf(image.platforms());
            assertThat(r.endpoint()).isEqualTo(liveUrl);
            String text = log.toString(StandardCharsets.UTF_8);
            assertThat(text).contains("digest " + image.indexDigest() + " from " + liveUrl)
                    .contains("linux/amd64 created 1970-01-01T00:00:00Z, 2 layers, ")
                    .contains("attempt http://" + dead.hostPort() + "/v2 manifest 1.0 -> refused")
                    .containsPattern("tags (1, 1\\.0|1\\.0, 1)\n"); // distribution 2.8 lists them unsorted
            assertThat(store).doesNotExist();
        }
    }
}
