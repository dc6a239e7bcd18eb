package dev.jpull.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpull.cli.CliRun;
import dev.jpull.cli.Main;
import dev.jpull.cli.option.Env;
import dev.jpull.testdata.Fault;
import dev.jpull.testdata.FaultProxy;
import dev.jpull.testdata.Image;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.RegistryFixture.Mode;
import dev.jpull.testdata.Skopeo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A pull stopped by SIGINT or SIGTERM (a child JVM, its layer stalled half way by a {@link FaultProxy}) says what
 * it kept and exits 130 / 143; the same command run again says it resumes that blob, and its JSON report says
 * where ({@code resumedAt}).
 */
class PullInterruptIT {
    private static final int LAYER = 3 * 1024 * 1024;
    /** The download writes what arrives in chunks of this size (GetBlob's buffer); the rest of a stalled body waits. */
    private static final long CHUNK = 256 * 1024;

    @TempDir
    static Path tmp;

    private static RegistryFixture registry;
    private static Image image;

    @BeforeAll
    static void push() {
        registry = RegistryFixture.start(Mode.PLAIN);
        image = new ImageGenerator(11).singlePlatform(tmp.resolve("layout"), "app", 1, LAYER);
        Skopeo.copyToRegistry(image.layoutDir(), "app", registry, "library/app:1.0");
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"INT, 130", "TERM, 143"})
    void anInterruptedPullSaysWhatItKeptAndTheNextRunResumesIt(String signal, int exitCode) throws Exception {
        Path run = Files.createDirectories(tmp.resolve(signal));
        Path store = run.resolve("store");
        String layer = image.layerDigests().get(0);
        long size = image.layers().get(0).size();
        long kept = size / 2 / CHUNK * CHUNK; // of the half the proxy sends, what reaches the disk
        try (FaultProxy proxy = FaultProxy.start(registry)) {
            proxy.fault(Fault.STALL_MID_BODY, FaultProxy.blob(layer));
            Path config = run.resolve("registries.yaml");
            Files.writeString(config, "mirrors:\n  \"" + registry.hostPort() + "\":\n    endpoint:\n"
                    + "      - \"http://" + proxy.hostPort() + "\"\n");
            String ref = registry.hostPort() + "/library/app:1.0";
            // --hedge-delay 0: the stall must hold (with hedging the registry would continue the layer at once)
            List<String> args = List.of("pull", "-c", config.toString(), "--read-timeout", "10m", "--speed-time",
                    "0", "--hedge-delay", "0", ref);

            Process p = start(args, store);
            List<String> lines = new ArrayList<>();
            CompletableFuture<Void> started = new CompletableFuture<>();
            Thread reader = readLines(p, lines, "jpull: blob " + ProgressRenderer.shortDigest(layer), started);
            started.get(2, TimeUnit.MINUTES); // the layer's download began
            Path partial = store.resolve("ingest").resolve(layer.replace(':', '-') + ".partial");
            awaitSize(partial, kept); // the download stalls there

            new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start().waitFor();

            assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("jpull exits after SIG" + signal).isTrue();
            reader.join();
            assertThat(p.exitValue()).as(String.join("\n", lines)).isEqualTo(exitCode);
            assertThat(lines.get(lines.size() - 1)).isEqualTo("jpull: interrupted: "
                    + TraceListener.bytes(kept) + " of 1 blob kept in " + store.resolve("ingest")
                    + "; run the same command to continue");
            assertThat(partial).hasSize(kept);

            proxy.fault(Fault.NONE);
            List<String> again = new ArrayList<>(args);
            again.add(1, "-o");
            again.add(2, "json");
            CliRun r = CliRun.run(Env.of(Map.of("JPULL_STORE", store.toString()), run),
                    again.toArray(String[]::new));

            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.errLines()).contains("jpull: resuming " + ProgressRenderer.shortDigest(layer) + "... at "
                    + TraceListener.bytes(kept) + " of " + TraceListener.bytes(size));
            JsonNode blob = null;
            for (JsonNode b : new ObjectMapper().readTree(r.out()).path("blobs")) {
                if (b.path("digest").asText().equals(layer)) {
                    blob = b;
                }
            }
            assertThat(blob).isNotNull();
            assertThat(blob.path("resumedAt").asLong()).isEqualTo(kept);
            assertThat(blob.path("cached").asBoolean()).isFalse();
            assertThat(store.resolve("blobs/sha256/" + layer.substring("sha256:".length()))).hasSize(size);
        }
    }

    private static Process start(List<String> args, Path store) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("JPULL_") || k.startsWith("XDG_"));
        pb.environment().put("JPULL_STORE", store.toString());
        pb.environment().put("HOME", tmp.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        Thread out = new Thread(() -> {
            try {
                p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException e) {
                // the process is gone
            }
        });
        out.setDaemon(true);
        out.start();
        return p;
    }

    /** Collects stderr lines; completes {@code seen} at the first line starting with {@code prefix}. */
    private static Thread readLines(Process p, List<String> lines, String prefix, CompletableFuture<Void> seen) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                    if (line.startsWith(prefix)) {
                        seen.complete(null);
                    }
                }
                seen.completeExceptionally(new AssertionError("jpull ended before " + prefix + ": " + lines));
            } catch (IOException e) {
                seen.completeExceptionally(e);
            }
        });
        t.start();
        return t;
    }

    /** Waits (up to two minutes: the machine may be busy) until {@code file} holds {@code size} bytes. */
    private static void awaitSize(Path file, long size) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!(Files.exists(file) && Files.size(file) == size)) {
            assertThat(System.nanoTime()).as(file + " never reached " + size + " bytes").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
