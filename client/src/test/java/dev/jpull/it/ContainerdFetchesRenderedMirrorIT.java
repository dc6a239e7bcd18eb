package dev.jpull.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.Jpull;
import dev.jpull.PullResult;
import dev.jpull.internal.config.HostsDir;
import dev.jpull.RegistriesConfig;
import dev.jpull.internal.render.ContainerdRender;
import dev.jpull.internal.resolve.HostsDirResolver;
import dev.jpull.testdata.ClosedPort;
import dev.jpull.testdata.Image;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.RegistryFixture.Mode;
import dev.jpull.testdata.Skopeo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jpull config render} verified by containerd itself (Debian package {@code containerd}): a private
 * containerd daemon is started, and {@code ctr content fetch --hosts-dir RENDERED/certs.d} pulls an image whose
 * own registry is down through the rendered mirror (a real distribution registry). The same fetch without the
 * hosts directory fails, so the success can only come from the rendered mirror. containerd also loads the rendered
 * config.toml ({@code containerd config dump}), and jpull pulls the same digest through the rendered directory.
 */
class ContainerdFetchesRenderedMirrorIT {
    private static final long WAIT_SECONDS = 60;

    @TempDir
    Path tmp;

    @Test
    void ctrFetchesThroughTheRenderedMirror() throws Exception {
        ClosedPort upstream = ClosedPort.allocate();
        try (RegistryFixture mirror = RegistryFixture.start(Mode.PLAIN)) {
            Image image = new ImageGenerator(7).singlePlatform(tmp.resolve("layout"), "x", 2, 20_000);
            Skopeo.copyToRegistry(image.layoutDir(), "x", mirror, "library/x:1.0");
            String ref = upstream.hostPort() + "/library/x:1.0";

            Path yaml = tmp.resolve("registries.yaml");
            Files.writeString(yaml, """
                    mirrors:
                      "%s":
                        endpoint:
                          - "http://%s"
                    configs:
                      "%s":
                        auth:
                          username: render-test-user
                    """.formatted(upstream.hostPort(), mirror.hostPort(), mirror.hostPort()));
            Path out = tmp.resolve("rendered");
            ContainerdRender.Rendered rendered = ContainerdRender.write(RegistriesConfig.load(yaml), false, out);
            Path certs = out.resolve("certs.d");
            assertThat(certs.resolve(upstream.hostPort()).resolve("hosts.toml")).exists();

            // containerd accepts the rendered config.toml and reads the CRI registry section from it
            Cmd dump = run(List.of("containerd", "--config", out.resolve("config.toml").toString(), "config",
                    "dump"));
            assertThat(dump.exitCode()).as(dump.output()).isZero();
            assertThat(dump.output()).contains("config_path = \"" + certs.toAbsolutePath() + "\"")
                    .contains("username = \"render-test-user\"");

            try (Containerd containerd = Containerd.start(tmp.resolve("containerd"))) {
                Cmd direct = containerd.ctr("content", "fetch", ref);
                assertThat(direct.exitCode()).as("without the hosts dir the registry is down: " + direct.output())
                        .isNotZero();

                Cmd fetch = containerd.ctr("content", "fetch", "--hosts-dir", certs.toString(), ref);
                assertThat(fetch.exitCode()).as(fetch.output() + "\n" + rendered.files()).isZero();
                Cmd images = containerd.ctr("images", "ls");
                assertThat(images.output().lines().filter(l -> l.startsWith(ref + " ")))
                        .singleElement().asString().contains(image.manifestDigest());
                Cmd content = containerd.ctr("content", "ls", "-q");
                assertThat(content.output().lines().toList()).contains(image.manifestDigest(),
                        image.configDigest()).containsAll(image.layerDigests());
            }

            // jpull, reading the same rendered directory with containerd's rules, gets the same image
            Jpull jpull = Jpull.builder().planSource(new HostsDirResolver(HostsDir.of(certs)))
                    .store(tmp.resolve("store")).dockerConfig(false).build();
            PullResult r = jpull.pull(ref);
            assertThat(r.digest()).isEqualTo(image.manifestDigest());
            assertThat(jpull.resolve(ref).endpoints().get(0).baseUrl()).isEqualTo("http://" + mirror.hostPort()
                    + "/v2");
        }
    }

    record Cmd(int exitCode, String output) {
    }

    /** Runs a command with a bounded wait; stdout and stderr together. */
    static Cmd run(List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("cmd", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " timed out; output:\n" + Files.readString(log));
            }
            return new Cmd(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** A containerd daemon of its own: root, state and sockets in a temporary directory; no CRI plugin. */
    static final class Containerd implements AutoCloseable {
        private final Process process;
        private final Path socket;
        private final Path log;

        private Containerd(Process process, Path socket, Path log) {
            this.process = process;
            this.socket = socket;
            this.log = log;
        }

        static Containerd start(Path dir) throws IOException, InterruptedException {
            Files.createDirectories(dir);
            Path socket = dir.resolve("containerd.sock");
            Path config = dir.resolve("config.toml");
            Files.writeString(config, """
                    version = 2
                    root = "%1$s/root"
                    state = "%1$s/state"
                    disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.btrfs",
                      "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
                      "io.containerd.snapshotter.v1.aufs", "io.containerd.tracing.processor.v1.otlp"]
                    [grpc]
                      address = "%2$s"
                    [ttrpc]
                      address = "%2$s.ttrpc"
                    [debug]
                      address = "%1$s/debug.sock"
                    """.formatted(dir.toAbsolutePath(), socket.toAbsolutePath()));
            Path log = dir.resolve("containerd.log");
            Process p = new ProcessBuilder("containerd", "--config", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            p.getOutputStream().close();
            Containerd c = new Containerd(p, socket, log);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (true) {
                if (!p.isAlive()) {
                    throw new AssertionError("containerd exited with " + p.exitValue() + ":\n" + c.logText());
                }
                if (Files.exists(socket) && c.ctr("version").exitCode() == 0) {
                    return c;
                }
                if (System.nanoTime() > deadline) {
                    c.close();
                    throw new AssertionError("containerd did not start within " + WAIT_SECONDS + " s:\n"
                            + c.logText());
                }
                Thread.sleep(100); // polling for readiness, not an assertion
            }
        }

        Cmd ctr(String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of("ctr", "--address", socket.toString()));
            cmd.addAll(List.of(args));
            return run(cmd);
        }

        String logText() {
            try {
                String s = Files.readString(log, StandardCharsets.UTF_8);
                return s.length() > 8000 ? s.substring(s.length() - 8000) : s;
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
