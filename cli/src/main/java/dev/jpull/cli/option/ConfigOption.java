package dev.jpull.cli.option;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code -c, --config}, declared once for every command that reads a registries.yaml (a mixin). */
public final class ConfigOption {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "K3s registries.yaml. Default: $JPULL_CONFIG, else /etc/rancher/k3s/registries.yaml "
                    + "when it exists, else no mirrors (every image goes to its own registry).")
    public Path config;

    /** The configuration file in effect: {@code --config}, else the environment's default, else none. */
    public Optional<Path> file(Env env) {
        return config != null ? Optional.of(config) : Defaults.configFile(env);
    }
}
