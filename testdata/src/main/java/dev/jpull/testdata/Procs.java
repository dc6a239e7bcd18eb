package dev.jpull.testdata;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Process, port and file helpers shared by the fixtures. */
final class Procs {

    /** Default bound for every external command. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    private Procs() {
    }

    /** Result of a finished command. */
    record Result(int exitCode, String stdout, String stderr) {
    }

    /**
     * Runs a command to completion with a bounded wait. {@code display} is what appears in error
     * messages instead of the real command line (so credentials never leak).
     */
    static Result run(List<String> command, Map<String, String> env, Duration timeout, String display) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + display, e);
        }
        try {
            p.getOutputStream().close();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                throw new IllegalStateException(display + " timed out after " + timeout.toSeconds() + " s");
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new IllegalStateException(display + " interrupted", e);
        } catch (IOException e) {
            kill(p);
            throw new UncheckedIOException(e);
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "<unreadable: " + e.getMessage() + ">";
            }
        });
    }

    /** Destroys a process and all its descendants, waiting a bounded time for them to exit. */
    static void kill(Process p) {
        ProcessHandle h = p.toHandle();
        h.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                h.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** A TCP port on 127.0.0.1 that was free a moment ago. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    /** Recursively deletes a directory tree, ignoring failures (best effort cleanup). */
    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // best effort
        }
    }

    /** Last {@code max} characters of a text, for error messages. */
    static String tail(String text, int max) {
        String t = text.strip();
        return t.length() <= max ? t : "..." + t.substring(t.length() - max);
    }
}
