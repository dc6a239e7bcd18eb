package dev.jpull.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.jpull.Target;
import dev.jpull.Attempt;
import dev.jpull.BlobResult;
import dev.jpull.Jpull;
import dev.jpull.Outcome;
import dev.jpull.PullResult;
import dev.jpull.RegistriesConfig;
import dev.jpull.testdata.ClosedPort;
import dev.jpull.testdata.Image;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.RegistryFixture.Mode;
import dev.jpull.testdata.Skopeo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mirrors {@code [closed port, empty registry answering 404, the real one]} in front of real registries. */
class RealRegistryFailoverIT {
    @TempDir
    Path tmp;

    @Test
    void failsOverFromAClosedPortAndAnEmptyRegistryToTheRealOne() throws Exception {
        try (RegistryFixture real = RegistryFixture.start(Mode.PLAIN);
             RegistryFixture empty = RegistryFixture.startEmpty()) {
            Image image = new ImageGenerator(9).singlePlatform(tmp.resolve("layout"), "app", 3, 100_000);
            Skopeo.copyToRegistry(image.layoutDir(), "app", real, "library/app:1.0");
            ClosedPort closed = ClosedPort.allocate();
            Path yaml = tmp.resolve("registries.yaml");
            Files.writeString(yaml, "mirrors:\n  \"" + real.hostPort() + "\":\n    endpoint:\n"
                    + "      - \"http://" + closed.hostPort() + "\"\n"
                    + "      - \"http://" + empty.hostPort() + "\"\n"
                    + "      - \"http://" + real.hostPort() + "\"\n");

            PullResult r = Jpull.builder().config(RegistriesConfig.load(yaml)).store(tmp.resolve("store")).build()
                    .pull(real.hostPort() + "/library/app:1.0");

            assertThat(r.digest()).isEqualTo(Skopeo.inspectDigest(real, "library/app:1.0"));
            assertThat(r.imageId()).isEqualTo(image.configDigest());
            String realUrl = "http://" + real.hostPort() + "/v2";
            assertThat(r.endpoint()).isEqualTo(realUrl);
            assertThat(r.attempts()).filteredOn(a -> a.target().equals(Target.manifest("1.0")))
                    .extracting(Attempt::endpoint, Attempt::outcome)
                    .containsExactly(tuple("http://" + closed.hostPort() + "/v2", Outcome.REFUSED),
                            tuple("http://" + empty.hostPort() + "/v2", Outcome.NOT_FOUND),
                            tuple(realUrl, Outcome.OK));
            assertThat(r.attempts()).filteredOn(a -> a.outcome() == Outcome.NOT_FOUND)
                    .allSatisfy(a -> assertThat(a.error())
                            .contains(a.target().kind() == Target.Kind.MANIFEST ? "MANIFEST_UNKNOWN" : "BLOB_UNKNOWN"));
            assertThat(r.blobs()).extracting(BlobResult::endpoint).containsOnly(realUrl);
            // the closed port is remembered: refused once for the whole pull, not once per blob
            assertThat(r.attempts()).filteredOn(a -> a.outcome() == Outcome.REFUSED).hasSize(1);
        }
    }
}
