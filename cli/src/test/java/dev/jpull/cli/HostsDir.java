package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A containerd hosts directory ({@code certs.d} layout) written by hand: per registry name a
 * {@code <name>/hosts.toml} with plain-HTTP {@code [host]} entries tried in order (pull and resolve) and the
 * {@code server} tried after them (in a hosts.toml the {@code server} entry is always tried last), or rendered by
 * {@code jpull config render --local-mirror}.
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

    /**
     * containerd's hosts dir as {@code jpull config render --local-mirror} writes it (run in-process, output under
     * {@code out}) for a registries.yaml that mirrors each of {@code registries} to {@code mirror} ({@code HOST:PORT},
     * plain HTTP): {@code local} first, {@code mirror} second, the registry's own default endpoint last. Returns
     * {@code out/certs.d}.
     */
    static Path render(Path out, JpullServe local, String mirror, List<String> registries) {
        StringBuilder yaml = new StringBuilder("mirrors:\n");
        for (String r : registries) {
            yaml.append("  \"").append(r).append("\":\n    endpoint:\n      - \"http://").append(mirror)
                    .append("\"\n");
        }
        try {
            Files.createDirectories(out);
            Path file = Files.writeString(out.resolve("registries.yaml"), yaml);
            CliRun r = CliRun.run(out.resolve("home"), "config", "render", "-c", file.toString(), "--local-mirror",
                    local.hostPort(), "--output-dir", out.resolve("rendered").toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
            Path certs = out.resolve("rendered").resolve("certs.d");
            String toml = Files.readString(certs.resolve(registries.get(0)).resolve("hosts.toml"));
            assertThat(toml.indexOf("[host.\"" + local.baseUrl())).as(toml).isPositive()
                    .isLessThan(toml.indexOf("[host.\"http://" + mirror));
            return certs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
