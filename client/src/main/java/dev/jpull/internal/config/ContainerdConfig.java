package dev.jpull.internal.config;

import dev.jpull.AuthConfig;
import dev.jpull.ConfigLocation;
import dev.jpull.ConfigWarning;
import dev.jpull.ConfigSetting;
import dev.jpull.RegistryConfig;
import dev.jpull.TlsConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpull.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry part of a containerd {@code config.toml}: the CRI plugin's {@code registry} table.
 *
 * <p>Which plugin table containerd reads depends on the file's {@code version}: 1 (or absent) {@code plugins.cri},
 * 2 {@code plugins."io.containerd.grpc.v1.cri"}, 3 {@code plugins."io.containerd.cri.v1.images"}. A table of
 * another spelling is ignored by containerd, and reported here as a warning. As containerd does, {@code mirrors}
 * together with {@code config_path} is an error, and so is {@code configs.*.tls} with {@code config_path}
 * (containerd 1.x).
 *
 * @param source     the file
 * @param version    the file's {@code version} (1 when absent)
 * @param mirrors    {@code registry.mirrors}: name ({@code host[:port]} or {@code *}) to endpoints, in file order
 * @param configs    {@code registry.configs} by endpoint host, with {@code registry.auths} merged in
 * @param configPath {@code registry.config_path}, null when not set
 * @param warnings   ignored tables and keys
 * @param endpointLocations where each mirror endpoint was written (per mirror, same order), when known
 */
public record ContainerdConfig(Path source, int version, Map<String, List<String>> mirrors,
                               Map<String, RegistryConfig> configs, String configPath,
                               List<ConfigWarning> warnings, Map<String, List<ConfigLocation>> endpointLocations) {
    /** Plugin table name per config version (index = version). */
    private static final List<String> PLUGIN = List.of("", "cri", "io.containerd.grpc.v1.cri",
            "io.containerd.cri.v1.images");

    public ContainerdConfig {
        Map<String, List<String>> m = new LinkedHashMap<>();
        mirrors.forEach((k, v) -> m.put(k, List.copyOf(v)));
        mirrors = Collections.unmodifiableMap(m);
        configs = Collections.unmodifiableMap(new LinkedHashMap<>(configs));
        warnings = List.copyOf(warnings);
        Map<String, List<ConfigLocation>> l = new LinkedHashMap<>();
        endpointLocations.forEach((k, v) -> l.put(k, List.copyOf(v)));
        endpointLocations = Collections.unmodifiableMap(l);
    }

    /** Without endpoint positions. */
    public ContainerdConfig(Path source, int version, Map<String, List<String>> mirrors,
                            Map<String, RegistryConfig> configs, String configPath, List<ConfigWarning> warnings) {
        this(source, version, mirrors, configs, configPath, warnings, Map.of());
    }

    /** Where endpoint {@code i} of mirror {@code name} was written; the file alone when unknown. */
    public ConfigLocation endpointLocation(String name, int i) {
        List<ConfigLocation> l = endpointLocations.get(name);
        return l != null && i < l.size() ? l.get(i) : ConfigLocation.of(source);
    }

    private static final List<String> REGISTRY_KEYS = List.of("config_path", "mirrors", "configs", "auths",
            "headers");
    private static final List<String> AUTH_KEYS = List.of("username", "password", "auth", "identitytoken");
    private static final List<String> TLS_KEYS = List.of("ca_file", "cert_file", "key_file", "insecure_skip_verify");

    public static ContainerdConfig load(Path file) {
        return parse(file, ConfigText.toml(file));
    }

    public static ContainerdConfig parse(Path file, String text) {
        try {
            return read(file, text);
        } catch (ConfigException e) {
            throw TomlFiles.positioned(file, text, e);
        }
    }

    private static ContainerdConfig read(Path file, String text) {
        ObjectNode root = TomlFiles.parse(file, text);
        JsonNode v = root.get("version");
        int version = 1;
        if (v != null) {
            if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1 || v.asInt() > 3) {
                throw new ConfigException(file, "version must be 1, 2 or 3");
            }
            version = v.asInt();
        }
        List<ConfigWarning> warnings = new ArrayList<>();
        ObjectNode plugins = TomlFiles.table(file, root, "plugins", "plugins");
        String plugin = PLUGIN.get(version);
        for (int other = 1; other < PLUGIN.size(); other++) {
            String name = PLUGIN.get(other);
            if (other != version && plugins != null && plugins.has(name) && plugins.get(name).has("registry")) {
                warnings.add(TomlFiles.locateKey(file, text, "registry", text.indexOf(name)).warning("plugins."
                        + quoteIfDotted(name)
                        + ".registry is ignored: a version " + version + " config uses plugins."
                        + quoteIfDotted(plugin)));
            }
        }
        String where = "plugins." + quoteIfDotted(plugin) + ".registry";
        ObjectNode registry = TomlFiles.table(file, TomlFiles.table(file, plugins, plugin, "plugins." + plugin),
                "registry", where);
        Map<String, List<String>> mirrors = new LinkedHashMap<>();
        Map<String, List<ConfigLocation>> locations = new LinkedHashMap<>();
        Map<String, RegistryConfig> configs = new LinkedHashMap<>();
        String configPath = null;
        if (registry != null) {
            configPath = TomlFiles.string(file, registry, "config_path", where + ".config_path");
            if (configPath != null && configPath.isEmpty()) {
                configPath = null;
            }
            TomlFiles.unknownKeys(file, text, 0, registry, REGISTRY_KEYS, "in " + where, "containerd", warnings);
            ObjectNode m = TomlFiles.table(file, registry, "mirrors", where + ".mirrors");
            for (String name : TomlFiles.keys(m)) {
                String w = where + ".mirrors." + TomlFiles.quote(name);
                TomlFiles.unknownKeys(file, text, Math.max(text.indexOf(TomlFiles.quote(name)), 0),
                        TomlFiles.table(file, m, name, w), List.of("endpoint"), "in " + w, "containerd", warnings);
                List<String> endpoints = TomlFiles.strings(file, TomlFiles.table(file, m, name, w), "endpoint",
                        w + ".endpoint");
                mirrors.put(name, endpoints);
                int from = text.indexOf(TomlFiles.quote(name));
                locations.put(name, endpoints.stream().map(e -> TomlFiles.locate(file, text, e, from)).toList());
            }
            configs(file, text, registry, where, version, configs, warnings);
            if (registry.has("headers")) {
                warnings.add(TomlFiles.locateKey(file, text, "headers", 0).warning(where + ".headers: jpull does "
                        + "not send extra request headers; ignored"));
            }
        }
        if (configPath != null && !mirrors.isEmpty()) {
            throw new ConfigException(file, where + ": `mirrors` cannot be set when `config_path` is provided");
        }
        if (configPath != null && version < 3 && configs.values().stream().anyMatch(c -> c.tls() != null)) {
            throw new ConfigException(file, where + ": `configs.tls` cannot be set when `config_path` is provided");
        }
        return new ContainerdConfig(file, version, mirrors, configs, configPath, warnings, locations);
    }

    private static void configs(Path file, String text, ObjectNode registry, String where, int version,
                                Map<String, RegistryConfig> out, List<ConfigWarning> warnings) {
        ObjectNode c = TomlFiles.table(file, registry, "configs", where + ".configs");
        for (String host : TomlFiles.keys(c)) {
            String w = where + ".configs." + TomlFiles.quote(host);
            int from = Math.max(text.indexOf(TomlFiles.quote(host)), 0);
            ObjectNode entry = TomlFiles.table(file, c, host, w);
            TomlFiles.unknownKeys(file, text, from, entry, List.of("auth", "tls"), "in " + w, "containerd", warnings);
            ObjectNode a = TomlFiles.table(file, entry, "auth", w + ".auth");
            TomlFiles.unknownKeys(file, text, from, a, AUTH_KEYS, "in " + w + ".auth", "containerd", warnings);
            AuthConfig auth = auth(file, a, w + ".auth");
            ObjectNode t = TomlFiles.table(file, entry, "tls", w + ".tls");
            TomlFiles.unknownKeys(file, text, from, t, TLS_KEYS, "in " + w + ".tls", "containerd", warnings);
            TlsConfig tls = null;
            if (t != null && version >= 3) {
                warnings.add(TomlFiles.locateKey(file, text, "tls", from).warning(w
                        + ".tls: containerd 2.x has no configs.tls; ignored"));
            } else if (t != null) {
                tls = new TlsConfig(path(TomlFiles.string(file, t, "ca_file", w + ".tls.ca_file")),
                        path(TomlFiles.string(file, t, "cert_file", w + ".tls.cert_file")),
                        path(TomlFiles.string(file, t, "key_file", w + ".tls.key_file")),
                        Boolean.TRUE.equals(TomlFiles.bool(file, t, "insecure_skip_verify",
                                w + ".tls.insecure_skip_verify")))
                        .withSettings(new ConfigSetting(w + ".tls.ca_file", ConfigLocation.of(file)),
                                new ConfigSetting(w + ".tls.cert_file", ConfigLocation.of(file)),
                                new ConfigSetting(w + ".tls.key_file", ConfigLocation.of(file)));
            }
            out.put(host, new RegistryConfig(auth, tls));
        }
        // registry.auths."https://host" (older form): converted to configs."host".auth unless that is set
        ObjectNode auths = TomlFiles.table(file, registry, "auths", where + ".auths");
        for (String url : TomlFiles.keys(auths)) {
            String w = where + ".auths." + TomlFiles.quote(url);
            String host = url.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "").replaceFirst("/.*$", "");
            AuthConfig auth = auth(file, TomlFiles.table(file, auths, url, w), w);
            RegistryConfig existing = out.get(host);
            if (existing == null) {
                out.put(host, new RegistryConfig(auth, null));
            } else if (existing.auth() == null) {
                out.put(host, new RegistryConfig(auth, existing.tls()));
            }
        }
    }

    private static AuthConfig auth(Path file, ObjectNode a, String where) {
        if (a == null) {
            return null;
        }
        AuthConfig auth = new AuthConfig(str(file, a, "username", where), str(file, a, "password", where),
                str(file, a, "auth", where), str(file, a, "identitytoken", where));
        return auth.isSet() ? auth : null;
    }

    private static String str(Path file, ObjectNode node, String key, String where) {
        String s = TomlFiles.string(file, node, key, where + "." + key);
        return s == null || s.isEmpty() ? null : s;
    }

    private static Path path(String s) {
        return s == null || s.isEmpty() ? null : Path.of(s);
    }

    private static String quoteIfDotted(String name) {
        return name.contains(".") ? TomlFiles.quote(name) : name;
    }
}
