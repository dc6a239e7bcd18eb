package dev.jpull.cli.option;

import java.nio.file.Path;
import java.util.Optional;

/** Default locations of the configuration file and the store (docs/interface.md, options of pull and resolve). */
public final class Defaults {
    /** The file K3s reads its registry configuration from. */
    static final Path K3S_REGISTRIES = Path.of("/etc/rancher/k3s/registries.yaml");

    private Defaults() {
    }

    /**
     * {@code $JPULL_CONFIG}, else {@code /etc/rancher/k3s/registries.yaml} when it exists, else empty (no mirrors).
     * A file named by {@code $JPULL_CONFIG} is returned even when missing, so that loading it reports the error.
     */
    public static Optional<Path> configFile(Env env) {
        String fromEnv = env.get("JPULL_CONFIG");
        if (fromEnv != null) {
            return Optional.of(Path.of(fromEnv));
        }
        return env.fileExists().test(K3S_REGISTRIES) ? Optional.of(K3S_REGISTRIES) : Optional.empty();
    }

    /** {@code $JPULL_STORE}, else {@code $XDG_DATA_HOME/jpull/store}, else {@code ~/.local/share/jpull/store}. */
    static Path store(Env env) {
        String fromEnv = env.get("JPULL_STORE");
        if (fromEnv != null) {
            return Path.of(fromEnv);
        }
        String xdg = env.get("XDG_DATA_HOME");
        // the XDG base directory spec says relative values are to be ignored
        Path dataHome = xdg != null && Path.of(xdg).isAbsolute() ? Path.of(xdg) : env.home().resolve(".local").resolve("share");
        return dataHome.resolve("jpull").resolve("store");
    }
}
