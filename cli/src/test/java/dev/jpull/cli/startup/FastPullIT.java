package dev.jpull.cli.startup;

import static dev.jpull.cli.startup.FastPullTest.viaMain;
import static dev.jpull.cli.startup.FastPullTest.viaPicocli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.cli.startup.FastPullTest.Result;
import dev.jpull.cli.Main;
import dev.jpull.testdata.ClosedPort;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.RegistryFixture.Mode;
import dev.jpull.testdata.Skopeo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The picocli-free pull path runs like picocli's against a real registry. */
class FastPullIT {
    @TempDir
    Path tmp;

    /** Same stdout, stderr and exit code as picocli's path, for pulls that work and pulls that fail. */
    @Test
    void runsAndFailsExactlyLikePicocli() throws IOException {
        try (RegistryFixture reg = RegistryFixture.start(Mode.PLAIN)) {
            new ImageGenerator(3).singlePlatform(tmp.resolve("layout"), "img", 2, 4096);
            Skopeo.copyToRegistry(tmp.resolve("layout"), "img", reg, "library/img:1");
            String ref = reg.hostPort() + "/library/img:1";
            Path notADir = Files.writeString(tmp.resolve("file"), "x");
            Path yaml = Files.writeString(tmp.resolve("registries.yaml"), "mirrors: {}\nunknownkey: 1\n");
            ClosedPort dead = ClosedPort.allocate();
            List<List<String>> lines = List.of(
                    List.of("--store", "STORE", ref),
                    List.of("--store", "STORE", ref), // up to date
                    List.of("--verify", "--store", "STORE", ref), // up to date, every cached blob re-hashed
                    List.of("pull", "-o", "json", "--store=STORE", ref),
                    List.of("-c", yaml.toString(), "--store", "STORE", ref),
                    List.of("--store", "STORE", "docker.io/library/ALPINE"),
                    List.of("-c", tmp.resolve("missing.yaml").toString(), "--store", "STORE", ref),
                    List.of("--store", "STORE", reg.hostPort() + "/library/nothing:1"),
                    List.of("--store", "STORE", dead.hostPort() + "/library/img:1"),
                    List.of("--store", notADir.toString(), ref),
                    List.of(ref)); // the store from $JPULL_STORE
            List<Integer> exits = new ArrayList<>();
            for (List<String> line : lines) {
                String[] fast = line.stream().map(a -> a.replace("STORE", tmp.resolve("fast").toString()))
                        .toArray(String[]::new);
                String[] slow = line.stream().map(a -> a.replace("STORE", tmp.resolve("picocli").toString()))
                        .toArray(String[]::new);
                assertThat(FastPull.parse(Main.withDefaultCommand(fast))).as(line.toString()).isNotNull();

                Result a = viaMain(fast, tmp.resolve("fast-env"));
                Result b = viaPicocli(slow, tmp.resolve("picocli-env"));

                assertThat(a).as(line.toString()).isEqualTo(b);
                exits.add(a.exit());
            }
            assertThat(exits).containsExactly(0, 0, 0, 0, 0, 2, 2, 1, 1, 2, 0);
        }
    }
}
