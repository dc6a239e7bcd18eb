package dev.jpull.cli;

import dev.jpull.testdata.ContainerdFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code ctr -n NS images pull --hosts-dir DIR REF} against a {@link ContainerdFixture} (ctr's own resolver,
 * the code CRI pulls with), bounded by a process timeout: it pulled (exit 0), failed (with its last line) or hung
 * (killed with SIGKILL at the bound).
 *
 * @param outcome what happened
 * @param error   ctr's last output line when it failed, "" otherwise
 * @param millis  wall time until it exited or was killed
 * @param output  stdout and stderr, for assertion messages
 */
record CtrPull(Outcome outcome, String error, long millis, String output) {

    /** How a pull ended. */
    enum Outcome { PULLED, FAILED, HUNG }

    /** A started pull; {@link #await} bounds and ends it. */
    record Running(Process process, Path log, long startNanos) {

        /** Waits at most {@code bound} from the start, then kills the pull. */
        CtrPull await(Duration bound) {
            try {
                long left = bound.toNanos() - (System.nanoTime() - startNanos);
                boolean exited = process.waitFor(Math.max(left, 0), TimeUnit.NANOSECONDS);
                long millis = (System.nanoTime() - startNanos) / 1_000_000;
                if (!exited) {
                    process.destroyForcibly();
                    process.waitFor(30, TimeUnit.SECONDS);
                }
                String out = Files.readString(log, StandardCharsets.UTF_8);
                Files.deleteIfExists(log);
                if (!exited) {
                    return new CtrPull(Outcome.HUNG, "", millis, out);
                }
                if (process.exitValue() == 0) {
                    return new CtrPull(Outcome.PULLED, "", millis, out);
                }
                List<String> lines = out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
                String last = lines.isEmpty() ? "exit " + process.exitValue() : lines.get(lines.size() - 1);
                return new CtrPull(Outcome.FAILED, last, millis, out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Runs the pull to its end or {@code bound}. */
    static CtrPull run(ContainerdFixture containerd, String ns, Path hostsDir, String ref, Duration bound) {
        return start(containerd, ns, hostsDir, ref).await(bound);
    }

    /** Starts the pull (stdout and stderr into one temporary file, no stdin). */
    static Running start(ContainerdFixture containerd, String ns, Path hostsDir, String ref) {
        List<String> cmd = List.of("ctr", "--address", containerd.socket().toString(), "-n", ns, "images", "pull",
                "--hosts-dir", hostsDir.toString(), ref);
        try {
            Path log = Files.createTempFile("ctr-pull-", ".log");
            long start = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            return new Running(p, log, start);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The digest containerd recorded for {@code ref} in {@code ns} ({@code ctr images ls}), null when absent. */
    static String imageDigest(ContainerdFixture containerd, String ns, String ref) {
        for (String line : containerd.ctr("-n", ns, "images", "ls").lines().skip(1).toList()) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length > 2 && cols[0].equals(ref)) {
                return cols[2];
            }
        }
        return null;
    }

    /** The table cell for this outcome: {@code pulled}, {@code failed: LINE} or {@code hung (killed at N s)}. */
    String cell(Duration bound) {
        return switch (outcome) {
            case PULLED -> "pulled";
            case FAILED -> "failed: `" + error.replace("|", "\\|").replace("`", "'") + "`";
            case HUNG -> "hung (killed at " + bound.toSeconds() + " s)";
        };
    }
}
