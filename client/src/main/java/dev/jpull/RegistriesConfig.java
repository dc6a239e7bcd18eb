package dev.jpull;

import dev.jpull.internal.config.RegistriesYaml;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed K3s {@code registries.yaml}.
 *
 * @param source   the file it came from, null for the empty configuration
 * @param mirrors  mirror name ({@code docker.io}, {@code host:port}, {@code *}) to mirror, in file order
 * @param configs  {@code host[:port]} to config, in file order
 * @param warnings unknown keys and other non-fatal findings, with file positions
 * @param keyLocations where keys were written, by dotted key: {@code mirrors."docker.io"},
 *                     {@code configs."*"}, {@code configs."*".auth}; empty for a configuration built in code
 */
public record RegistriesConfig(Path source, Map<String, Mirror> mirrors, Map<String, RegistryConfig> configs,
                               List<ConfigWarning> warnings, Map<String, ConfigLocation> keyLocations) {
    public RegistriesConfig {
        mirrors = Collections.unmodifiableMap(new LinkedHashMap<>(mirrors));
        configs = Collections.unmodifiableMap(new LinkedHashMap<>(configs));
        warnings = List.copyOf(warnings);
        keyLocations = Map.copyOf(keyLocations);
    }

    /** A configuration without key positions. */
    public RegistriesConfig(Path source, Map<String, Mirror> mirrors, Map<String, RegistryConfig> configs,
                            List<ConfigWarning> warnings) {
        this(source, mirrors, configs, warnings, Map.of());
    }

    /**
     * Where {@code key} (e.g. {@code mirrors."docker.io"}) was written; the file alone when unknown (null file for
     * a configuration built in code).
     */
    public ConfigLocation locationOf(String key) {
        ConfigLocation at = keyLocations.get(key);
        return at != null ? at : ConfigLocation.of(source);
    }

    /** No mirrors, no configs: every image goes to its own registry. */
    public static RegistriesConfig empty() {
        return new RegistriesConfig(null, Map.of(), Map.of(), List.of());
    }

    /**
     * Parses a registries.yaml file; throws {@link dev.jpull.ConfigException} with file, line and column. Relative
     * {@code ca_file}, {@code cert_file} and {@code key_file} names stay relative, so they name files in the
     * process's working directory, as K3s reads them.
     */
    public static RegistriesConfig load(Path file) {
        return RegistriesYaml.parse(file, (Path) null);
    }

    /**
     * As {@link #load(Path)}, with relative {@code ca_file}, {@code cert_file} and {@code key_file} names resolved
     * against {@code workingDirectory} (a caller's working directory that is not this process's; null: as
     * {@link #load(Path)}).
     */
    public static RegistriesConfig load(Path file, Path workingDirectory) {
        return RegistriesYaml.parse(file, workingDirectory);
    }
}
