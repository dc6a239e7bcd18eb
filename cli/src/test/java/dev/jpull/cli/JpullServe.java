package dev.jpull.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code jpull serve} as a process of its own (this JVM's class path, {@code dev.jpull.cli.Main}), listening on a
 * free loopback port ({@code --listen 127.0.0.1:0}), its stderr (the ready line and the access log) in a file.
 * {@link #start} returns once the ready line {@code jpull serve: listening on http://127.0.0.1:PORT} names the port.
 * The environment has no proxy or {@code JPULL_*} variables and a home of its own.
 */
final class JpullServe implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("jpull serve: listening on http://127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final Path log;
    private final int port;

    private JpullServe(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts {@code jpull serve --listen 127.0.0.1:0 ARGS} with its files under {@code dir}; waits for readiness. */
    static JpullServe start(Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve",
                "--listen", "127.0.0.1:0"));
        cmd.addAll(List.of(args));
        try {
            Files.createDirectories(dir);
            Path home = Files.createDirectories(dir.resolve("home"));
            Path log = Files.createTempFile(dir, "serve-", ".log");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("JPULL_") || k.startsWith("XDG_")
                    || k.equalsIgnoreCase("http_proxy") || k.equalsIgnoreCase("https_proxy")
                    || k.equalsIgnoreCase("no_proxy") || k.equalsIgnoreCase("all_proxy"));
            env.put("HOME", home.toString());
            Process p = pb.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                Matcher m = READY.matcher(Files.readString(log, StandardCharsets.UTF_8));
                if (m.find()) {
                    return new JpullServe(p, log, Integer.parseInt(m.group(1)));
                }
                if (!p.isAlive()) {
                    throw new AssertionError("jpull serve exited " + p.exitValue() + " before it was ready: "
                            + Files.readString(log, StandardCharsets.UTF_8));
                }
                if (System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new AssertionError("jpull serve printed no ready line within 60 s: "
                            + Files.readString(log, StandardCharsets.UTF_8));
                }
                Thread.sleep(50);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int port() {
        return port;
    }

    /** {@code 127.0.0.1:PORT}. */
    String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** {@code http://127.0.0.1:PORT}. */
    String baseUrl() {
        return "http://" + hostPort();
    }

    Process process() {
        return process;
    }

    /** Everything it printed so far (stdout and stderr). */
    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<no log: " + e.getMessage() + ">";
        }
    }

    /** SIGKILL, and waits until it is gone. */
    void kill() {
        process.destroyForcibly();
        waitFor();
    }

    /** SIGTERM; its exit code once it has ended (bounded: 60 s, then SIGKILL and an AssertionError). */
    int terminate() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("jpull serve did not end within 60 s of SIGTERM: " + log());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void waitFor() {
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
