package dev.jpull.testdata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private containerd (the Debian package's binary, 1.6) with its own root, state and socket in a directory the
 * test owns, the CRI plugin and snapshotters the tests do not use disabled. As root it can unpack (overlayfs,
 * native) and run containers with runc ({@code ctr run}). {@link #close} stops it and unmounts whatever it left
 * mounted below its root.
 */
public final class ContainerdFixture implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final Path socket;
    private final Path log;
    private final boolean root;

    private ContainerdFixture(Process process, Path dir, Path socket, Path log, boolean root) {
        this.process = process;
        this.dir = dir;
        this.socket = socket;
        this.log = log;
        this.root = root;
    }

    /** Starts containerd in {@code dir} (which must be short enough for a unix socket path) and waits for it. */
    public static ContainerdFixture start(Path dir) {
        return start(dir, List.of());
    }

    /** As {@link #start(Path)}, with the plugins {@code disabled} (e.g. {@code io.containerd.grpc.v1.leases}) off. */
    public static ContainerdFixture start(Path dir, List<String> disabled) {
        return start(dir, disabled, false);
    }

    /**
     * As {@link #start(Path)} with containerd's CRI plugin on (kubelet's image service on the same socket; no CNI
     * configured, which only pods need; its stream server on a free loopback port).
     */
    public static ContainerdFixture startWithCri(Path dir) {
        return start(dir, List.of(), true);
    }

    private static ContainerdFixture start(Path dir, List<String> disabled, boolean cri) {
        StringBuilder extra = new StringBuilder();
        for (String plugin : disabled) {
            extra.append(", \"").append(plugin).append('"');
        }
        try {
            Files.createDirectories(dir);
            Path socket = dir.resolve("c.sock");
            // the sockets are chowned to uid/gid (default 0, which fails unless root): use ours
            int uid = (Integer) Files.getAttribute(dir, "unix:uid");
            int gid = (Integer) Files.getAttribute(dir, "unix:gid");
            String owner = "  uid = " + uid + "\n  gid = " + gid;
            Path config = Files.writeString(dir.resolve("config.toml"), String.join("\n",
                    "version = 2",
                    "root = \"" + dir.resolve("root") + "\"",
                    "state = \"" + dir.resolve("state") + "\"",
                    "disabled_plugins = [" + (cri ? "" : "\"io.containerd.grpc.v1.cri\", ")
                            + "\"io.containerd.internal.v1.opt\",",
                    "  \"io.containerd.snapshotter.v1.aufs\", \"io.containerd.snapshotter.v1.btrfs\",",
                    "  \"io.containerd.snapshotter.v1.devmapper\", \"io.containerd.snapshotter.v1.zfs\",",
                    "  \"io.containerd.tracing.processor.v1.otlp\", \"io.containerd.internal.v1.tracing\"" + extra + "]",
                    "[grpc]",
                    "  address = \"" + socket + "\"",
                    owner,
                    "[ttrpc]",
                    "  address = \"" + socket + ".ttrpc\"",
                    owner,
                    "[debug]",
                    "  address = \"\"",
                    "[metrics]",
                    "  address = \"\"",
                    cri ? String.join("\n",
                            "[plugins.\"io.containerd.grpc.v1.cri\"]",
                            "  stream_server_address = \"127.0.0.1\"",
                            "  stream_server_port = \"0\"",
                            "  [plugins.\"io.containerd.grpc.v1.cri\".cni]",
                            "    bin_dir = \"" + dir.resolve("cni/bin") + "\"",
                            "    conf_dir = \"" + dir.resolve("cni/conf") + "\"") : "",
                    ""));
            Path log = dir.resolve("containerd.log");
            Process p = new ProcessBuilder("containerd", "--config", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            ContainerdFixture c = new ContainerdFixture(p, dir, socket, log, uid == 0);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                if (!p.isAlive()) {
                    throw new AssertionError("containerd exited " + p.exitValue() + ": " + c.log());
                }
                if (Files.exists(socket) && c.tryCtr("version")) {
                    return c;
                }
                if (System.nanoTime() > deadline) {
                    c.close();
                    throw new AssertionError("containerd did not answer within 60 s: " + c.log());
                }
                Thread.sleep(100);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether containerd runs as root (and so can unpack layers and run containers). */
    public boolean root() {
        return root;
    }

    public Path socket() {
        return socket;
    }

    private boolean tryCtr(String... args) {
        return Procs.run(command(args), Map.of(), Duration.ofSeconds(20), "ctr version").exitCode() == 0;
    }

    /** {@code ctr --address SOCKET ARGS}: stdout, or an AssertionError with its output and containerd's log. */
    public String ctr(String... args) {
        Procs.Result r = Procs.run(command(args), Map.of(), Procs.DEFAULT_TIMEOUT, "ctr " + String.join(" ", args));
        if (r.exitCode() != 0) {
            throw new AssertionError("ctr " + String.join(" ", args) + " exited " + r.exitCode() + ": " + r.stdout()
                    + r.stderr() + "\ncontainerd log:\n" + Procs.tail(log(), 4000));
        }
        return r.stdout();
    }

    /** {@code ctr} without checking its exit code: the result for a test to assert on. */
    public String[] ctrUnchecked(String... args) {
        Procs.Result r = Procs.run(command(args), Map.of(), Procs.DEFAULT_TIMEOUT, "ctr " + String.join(" ", args));
        return new String[] {String.valueOf(r.exitCode()), r.stdout(), r.stderr()};
    }

    private List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ctr", "--address", socket.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "<no log: " + e.getMessage() + ">";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(15, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (root) {
            unmountBelow(dir);
        }
    }

    /** Unmounts what containerd or a container left mounted below {@code dir}, deepest first. */
    private static void unmountBelow(Path dir) {
        try {
            List<String> mounts = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 1 && f[1].startsWith(dir.toString() + "/")) {
                    mounts.add(f[1]);
                }
            }
            mounts.sort((a, b) -> b.length() - a.length());
            for (String m : mounts) {
                Procs.run(List.of("umount", "-l", m), Map.of(), Duration.ofSeconds(20), "umount " + m);
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort: the temporary directory's removal reports what is left
        }
    }
}
