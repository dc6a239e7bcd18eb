package dev.jpull.internal.resolve;

import dev.jpull.ConfigException;
import dev.jpull.RegistriesConfig;
import dev.jpull.internal.config.ContainerdConfig;
import dev.jpull.internal.config.HostsDir;
import dev.jpull.spi.PlanSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** The implementations behind {@link PlanSource}'s factories: one per configuration source. */
public final class PlanSources {
    private PlanSources() {
    }

    /** K3s's rules ({@link EndpointResolver}, one per plan since it collects that plan's warnings). */
    public static PlanSource registries(RegistriesConfig config, boolean disableDefaultEndpoint) {
        Objects.requireNonNull(config, "config");
        return ref -> new EndpointResolver(config, disableDefaultEndpoint).resolve(ref);
    }

    /** containerd's hosts-directory rules ({@link HostsDirResolver}). */
    public static PlanSource hostsDir(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(dir, "no such directory");
        }
        return new HostsDirResolver(HostsDir.of(dir));
    }

    /** The CRI plugin's rules ({@link CriMirrorResolver}) of a containerd config.toml. */
    public static PlanSource containerdConfig(Path file) {
        return new CriMirrorResolver(ContainerdConfig.load(file));
    }
}
