package dev.jpull.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A containerd hosts directory ({@code certs.d} layout) written by hand: per registry name a
 * {@code <name>/hosts.toml} with plain-HTTP {@code [host]} entries tried in order (pull and resolve) and the
 * {@code server} tried after them. (In a hosts.toml the {@code server} entry is always tried last.)
 */
final class HostsDir {
    private HostsDir() {
    }

    /**
     * Writes {@code dir/<registry>/hosts.toml}: {@code hosts} ({@code HOST:PORT}, plain HTTP) first, then
     * {@code server = "http://<server>"}. Returns {@code dir}.
     */
    static Path write(Path dir, String registry, List<String> hosts, String server) {
        StringBuilder toml = new StringBuilder("server = \"http://" + server + "\"\n");
        // containerd 1.6 rejects a hosts.toml without [host] entries ("invalid `host` tree") and then pulls from
        // the registry name's default endpoint: the server alone is written as its own host
        for (String h : hosts.isEmpty() ? List.of(server) : hosts) {
            toml.append("\n[host.\"http://").append(h).append("\"]\n")
                    .append("  capabilities = [\"pull\", \"resolve\"]\n");
        }
        return write(dir, registry, toml.toString());
    }

    /**
     * Writes {@code dir/<registry>/hosts.toml} with {@code server = "http://<server>"} and nothing else: one
     * endpoint. For jpull only (containerd 1.6 rejects it, see {@link #write(Path, String, List, String)}).
     */
    static Path writeServerOnly(Path dir, String registry, String server) {
        return write(dir, registry, "server = \"http://" + server + "\"\n");
    }

    private static Path write(Path dir, String registry, String toml) {
        try {
            Path file = Files.createDirectories(dir.resolve(registry)).resolve("hosts.toml");
            Files.writeString(file, toml);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
