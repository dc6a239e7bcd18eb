package dev.jpull.internal.config;

import dev.jpull.ConfigWarning;

import dev.jpull.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A containerd hosts directory ({@code config_path}, {@code ctr --hosts-dir}): one sub-directory per registry
 * namespace holding a {@code hosts.toml} or Docker-style certificate files (containerd {@code docs/hosts.md},
 * {@code HostDirFromRoot}).
 *
 * <p>Directory lookup for namespace {@code H}, in each root in order: {@code H} with its {@code :port} written as
 * {@code _port_} (only when {@code H} has a port), then {@code H} itself, then {@code _default}; the first that
 * exists as a directory wins, and an earlier root beats a later one.
 *
 * @param roots the roots, in search order
 */
public record HostsDir(List<Path> roots) {
    public static final String DEFAULT_DIR = "_default";

    public HostsDir {
        roots = List.copyOf(roots);
    }

    public static HostsDir of(Path root) {
        return new HostsDir(List.of(root));
    }

    /** containerd's {@code config_path}: roots separated by {@code :}. */
    public static HostsDir parse(String configPath) {
        List<Path> roots = new ArrayList<>();
        for (String s : configPath.split(":")) {
            if (!s.isEmpty()) {
                roots.add(Path.of(s));
            }
        }
        return new HostsDir(roots);
    }

    /** The directory names tried for {@code namespace} in each root, in order. */
    public static List<String> candidates(String namespace) {
        List<String> names = new ArrayList<>();
        int colon = namespace.lastIndexOf(':');
        if (colon > 0 && colon > namespace.lastIndexOf(']')) {
            names.add(namespace.substring(0, colon) + "_" + namespace.substring(colon + 1) + "_");
        }
        names.add(namespace);
        names.add(DEFAULT_DIR);
        return names;
    }

    /** The directory containerd uses for {@code namespace}, if any. */
    public Optional<Path> directoryFor(String namespace) {
        for (Path root : roots) {
            for (String name : candidates(namespace)) {
                Path dir = root.resolve(name);
                if (Files.isDirectory(dir)) {
                    return Optional.of(dir);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The hosts configuration in {@code dir}: its {@code hosts.toml} when present and not empty, else the Docker
     * certs layout ({@code *.crt} CA files, {@code *.cert} + {@code .key} client certificates) applied to the
     * default host. A malformed hosts.toml is a {@link ConfigException} (containerd would log it and drop every
     * mirror of the file).
     */
    public static HostsFile load(Path dir) {
        Path file = dir.resolve("hosts.toml");
        if (Files.isRegularFile(file)) {
            String text = ConfigText.toml(file);
            if (!text.isBlank()) {
                return HostsFile.parse(file, text);
            }
        }
        return certsLayout(dir);
    }

    private static HostsFile certsLayout(Path dir) {
        List<Path> ca = new ArrayList<>();
        List<HostsFile.ClientCert> client = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.sorted().toList();
        } catch (IOException e) {
            throw new ConfigException(dir, "cannot list directory: " + e.getClass().getSimpleName());
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (name.endsWith(".crt")) {
                ca.add(f);
            } else if (name.endsWith(".cert")) {
                Path key = dir.resolve(name.substring(0, name.length() - ".cert".length()) + ".key");
                client.add(new HostsFile.ClientCert(f, Files.exists(key) ? key : null));
            }
        }
        List<ConfigWarning> warnings = new ArrayList<>();
        if (ca.size() > 1) {
            warnings.add(new ConfigWarning(dir, 0, 0, "jpull uses only the first CA file (" + ca.get(0) + ")"));
        }
        HostsFile.Host root = new HostsFile.Host(null, HostsFile.ALL_CAPABILITIES, ca, client, null, false,
                Map.of(), Map.of());
        return new HostsFile(dir, root, List.of(), warnings);
    }
}
