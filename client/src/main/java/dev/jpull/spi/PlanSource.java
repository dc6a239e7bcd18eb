package dev.jpull.spi;

import dev.jpull.EndpointPlan;
import dev.jpull.ImageReference;
import dev.jpull.RegistriesConfig;
import dev.jpull.internal.resolve.PlanSources;
import java.nio.file.Path;

/**
 * Where endpoint plans come from. The factories below are the one place a configuration source is chosen: a K3s
 * registries.yaml ({@link #registries}, {@link #registriesYaml}), a containerd hosts directory ({@link #hostsDir})
 * or a containerd config.toml ({@link #containerdConfig}). Each loads and checks its file when called (a
 * malformed one is a {@link dev.jpull.ConfigException} with file, line and column) and reports every non-fatal
 * finding as a typed {@link dev.jpull.ConfigWarning} in the plans it returns ({@link EndpointPlan#warnings()}),
 * never anywhere else. Implementations do no network access and must be thread-safe.
 */
@FunctionalInterface
public interface PlanSource {
    /**
     * The ordered endpoints for {@code ref}, with the warnings that apply to it; throws
     * {@link dev.jpull.ConfigException} for a malformed file read now (a hosts.toml is read per plan).
     */
    EndpointPlan resolve(ImageReference ref);

    /** Plans with K3s's rules from a parsed registries.yaml; the plans carry the file's warnings too. */
    static PlanSource registries(RegistriesConfig config, boolean disableDefaultEndpoint) {
        return PlanSources.registries(config, disableDefaultEndpoint);
    }

    /** {@link #registries} of the registries.yaml {@code file}, loaded now. */
    static PlanSource registriesYaml(Path file, boolean disableDefaultEndpoint) {
        return PlanSources.registries(RegistriesConfig.load(file), disableDefaultEndpoint);
    }

    /**
     * Plans with containerd's rules from a hosts directory ({@code certs.d} layout, {@code hosts.toml}, read per
     * plan as containerd does). Throws {@link dev.jpull.ConfigException} when {@code dir} is no directory.
     */
    static PlanSource hostsDir(Path dir) {
        return PlanSources.hostsDir(dir);
    }

    /**
     * Plans with the CRI plugin's rules from the registry section of a containerd {@code config.toml}
     * ({@code mirrors}/{@code configs}, or the hosts directories of {@code config_path}), loaded now.
     */
    static PlanSource containerdConfig(Path file) {
        return PlanSources.containerdConfig(file);
    }
}
