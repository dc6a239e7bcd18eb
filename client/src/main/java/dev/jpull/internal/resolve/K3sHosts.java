package dev.jpull.internal.resolve;

import dev.jpull.ConfigLocation;
import dev.jpull.ConfigWarning;
import dev.jpull.Mirror;
import dev.jpull.RegistriesConfig;
import dev.jpull.RegistryConfig;
import dev.jpull.TlsConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What K3s writes into containerd's hosts directory for a registries.yaml (k3s {@code pkg/agent/containerd/
 * config.go}, hosts.toml template), as data: one {@link HostConfig} per {@code mirrors} key in file order, then
 * one per {@code configs} key that is not a mirror name and has {@code auth} or {@code tls}; no file for an entry
 * that lists no usable endpoint and whose server has no settings (containerd's defaults apply to it).
 *
 * <p>Endpoints are normalised, deduplicated and folded into the default exactly as {@link EndpointResolver}
 * does, so a hosts directory rendered from this gives containerd the same endpoint order jpull uses.
 */
public final class K3sHosts {
    private K3sHosts() {
    }

    /**
     * One {@code certs.d/<dirName>/hosts.toml}.
     *
     * @param name      the {@code mirrors} or {@code configs} key
     * @param dirName   the directory name ({@code _default} for {@code *}, else the key as written)
     * @param server    the default endpoint URL written as {@code server}; null when none is written (wildcard,
     *                  or the default endpoint disabled)
     * @param serverTls TLS of the default endpoint (root {@code ca}/{@code client}/{@code skip_verify}), or null
     * @param endpoints the {@code [host."..."]} entries in order
     */
    public record HostConfig(String name, String dirName, String server, TlsConfig serverTls,
                             List<HostEndpoint> endpoints) {
        public HostConfig {
            endpoints = List.copyOf(endpoints);
        }
    }

    /**
     * One {@code [host."<url>"]} entry.
     *
     * @param url          normalised endpoint URL ({@code scheme://host/v2} or with the endpoint's own path)
     * @param overridePath true when the path is not {@code /v2} (it is then the complete API root)
     * @param tls          from {@code configs[<endpoint host>]}, or null
     * @param rewrites     the mirror's rewrites (honoured only by K3s's containerd fork)
     */
    public record HostEndpoint(String url, boolean overridePath, TlsConfig tls, Map<String, String> rewrites) {
    }

    /** The host configurations and the warnings found (invalid or duplicate endpoints, ...), with positions. */
    public record Result(List<HostConfig> hosts, List<ConfigWarning> warnings) {
        public Result {
            hosts = List.copyOf(hosts);
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * What K3s writes (k3s {@code getHostConfigs}): a hosts.toml per {@code configs} key with {@code auth} or
     * {@code tls}, and per {@code mirrors} key; then every file that would list no {@code [host]} entry and whose
     * {@code server} has no settings (no auth, no TLS) is dropped, so containerd's defaults apply to that registry
     * (for a localhost registry: https without verification, or https then http on a port other than 443 or 80).
     */
    public static Result of(RegistriesConfig config, boolean disableDefaultEndpoint) {
        List<HostConfig> hosts = new ArrayList<>();
        Set<ConfigWarning> warnings = new LinkedHashSet<>();
        for (Map.Entry<String, Mirror> e : config.mirrors().entrySet()) {
            HostConfig h = mirror(config, e.getKey(), e.getValue(), disableDefaultEndpoint, warnings);
            if (h != null) {
                hosts.add(h);
            }
        }
        for (Map.Entry<String, RegistryConfig> e : config.configs().entrySet()) {
            String key = e.getKey();
            if (config.mirrors().containsKey(key) || !hasSettings(e.getValue())) {
                continue;
            }
            TlsConfig tls = tlsOf(e.getValue());
            if (key.equals(EndpointResolver.WILDCARD)) {
                hosts.add(new HostConfig(key, dirName(key), null, tls, List.of()));
                continue;
            }
            try {
                EndpointAddress address = EndpointAddress.ofRegistry(key);
                hosts.add(new HostConfig(key, dirName(key), address.url(), tls, List.of()));
            } catch (IllegalArgumentException ex) {
                warnings.add(config.locationOf("configs.\"" + key + "\"").warning("configs.\"" + key
                        + "\": ignoring: not a host[:port] (" + ex.getMessage() + ")"));
            }
        }
        return new Result(hosts, new ArrayList<>(warnings));
    }

    /**
     * True when K3s writes a hosts.toml for {@code registry} itself (not {@code _default}): containerd then uses
     * its {@code server}, not its own defaults, for the registry's endpoint.
     */
    public static boolean writesHostsFor(RegistriesConfig config, String registry, boolean disableDefaultEndpoint) {
        return !registry.equals(EndpointResolver.WILDCARD) && of(config, disableDefaultEndpoint).hosts().stream()
                .anyMatch(h -> h.name().equals(registry));
    }

    /** K3s {@code endpointHasConfig} for a server made from a configs entry: auth or tls present (even empty). */
    private static boolean hasSettings(RegistryConfig c) {
        return c != null && (c.auth() != null || c.tls() != null);
    }

    private static HostConfig mirror(RegistriesConfig config, String name, Mirror mirror,
                                     boolean disableDefaultEndpoint, Set<ConfigWarning> warnings) {
        String where = "mirrors.\"" + name + "\"";
        boolean wildcard = name.equals(EndpointResolver.WILDCARD);
        EndpointAddress defaultAddress = null;
        if (!wildcard) {
            try {
                defaultAddress = EndpointAddress.ofRegistry(name);
            } catch (IllegalArgumentException ex) {
                warnings.add(located(config, mirror.endpointLocations().isEmpty() ? null : mirror.endpointLocation(0))
                        .warning(where + ": ignoring: the name is not a host[:port] (" + ex.getMessage() + ")"));
                return null;
            }
        }
        List<HostEndpoint> endpoints = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        boolean folded = false;
        List<String> listed = mirror.endpoints();
        for (int i = 0; i < listed.size(); i++) {
            EndpointAddress address;
            String shown = UrlCheck.redact(listed.get(i));
            ConfigLocation at = located(config, mirror.endpointLocation(i));
            try {
                address = EndpointAddress.parse(listed.get(i));
            } catch (IllegalArgumentException ex) {
                warnings.add(at.warning(where + ": ignoring invalid endpoint \"" + shown + "\": " + ex.getMessage()));
                continue;
            }
            if (address.note() != null) {
                warnings.add(at.warning(where + ": endpoint \"" + shown + "\": " + address.note()));
            }
            if (!seen.add(address.url())) {
                warnings.add(at.warning(where + ": skipping duplicate endpoint \"" + shown + "\" (same as "
                        + address.url() + ")"));
                continue;
            }
            boolean defaultKept = !disableDefaultEndpoint && !wildcard;
            if (i == listed.size() - 1 && defaultKept && address.url().equals(defaultAddress.url())) {
                folded = true;
                continue;
            }
            endpoints.add(new HostEndpoint(address.url(), !address.apiRoot().equals("/v2"),
                    tls(config, address.registryName()), mirror.rewrites()));
        }
        boolean dropDefault = false;
        if (disableDefaultEndpoint) {
            String kept = EndpointResolver.defaultKeptBecause(config, name, endpoints.size());
            dropDefault = kept == null && !folded;
            if (kept != null) {
                warnings.add(config.locationOf(where).warning("--disable-default-endpoint has no effect for "
                        + where + ": " + kept + "; " + (wildcard ? "each registry" : defaultAddress.url())
                        + " is used after all, as K3s does"));
            }
        }
        String server = wildcard || dropDefault ? null : defaultAddress.url();
        TlsConfig serverTls = wildcard ? tlsOf(config.configs().get(EndpointResolver.WILDCARD))
                : tls(config, name);
        ConfigLocation first = located(config, mirror.endpointLocations().isEmpty() ? null : mirror.endpointLocation(0));
        if (dropDefault && !wildcard) {
            warnings.add(first.warning(where + ": no `server` is written for --disable-default-endpoint; only K3s's "
                    + "containerd honours that, upstream containerd still tries " + defaultAddress.url() + " last"));
        }
        boolean serverHasSettings = server != null && !wildcard
                && (hasSettings(configForHost(config, name)) || folded && !mirror.rewrites().isEmpty());
        if (endpoints.isEmpty() && !serverHasSettings) {
            return null; // K3s writes no hosts.toml: containerd's defaults apply
        }
        if (!mirror.rewrites().isEmpty() && !endpoints.isEmpty()) {
            ConfigLocation rw = mirror.rewriteLocations().values().stream().findFirst().orElse(first);
            warnings.add(rw.warning(where + ": rewrite tables are honoured only by K3s's containerd; upstream "
                    + "containerd ignores them"));
        }
        return new HostConfig(name, dirName(name), server, serverTls, endpoints);
    }

    /** Where an endpoint was written (the file alone when unknown). */
    private static ConfigLocation located(RegistriesConfig config, ConfigLocation at) {
        return at != null ? at : fileOnly(config);
    }

    /** The configuration file without a position (null file for a configuration built in code). */
    private static ConfigLocation fileOnly(RegistriesConfig config) {
        return ConfigLocation.of(config.source());
    }

    /** k3s {@code configForHost}: for docker.io, {@code configs["registry-1.docker.io"]} first. No {@code *}. */
    private static RegistryConfig configForHost(RegistriesConfig config, String registryName) {
        Map<String, RegistryConfig> configs = config.configs();
        if (registryName.equals(EndpointAddress.DOCKER_HUB) && configs.containsKey(EndpointAddress.DOCKER_HUB_HOST)) {
            return configs.get(EndpointAddress.DOCKER_HUB_HOST);
        }
        return configs.get(registryName);
    }

    /** TLS of {@link #configForHost}, null when it sets nothing. */
    private static TlsConfig tls(RegistriesConfig config, String registryName) {
        Map<String, RegistryConfig> configs = config.configs();
        if (registryName.equals(EndpointAddress.DOCKER_HUB) && configs.containsKey(EndpointAddress.DOCKER_HUB_HOST)) {
            return tlsOf(configs.get(EndpointAddress.DOCKER_HUB_HOST));
        }
        return tlsOf(configs.get(registryName));
    }

    private static TlsConfig tlsOf(RegistryConfig c) {
        return c == null || c.tls() == null || !c.tls().isSet() ? null : c.tls();
    }

    /**
     * The endpoint string normalised as K3s does ({@code scheme://host[:port]/v2} or with the endpoint's own path),
     * or null when K3s ignores it.
     */
    public static String endpointUrl(String endpoint) {
        try {
            return EndpointAddress.parse(endpoint).url();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** containerd's {@code docker.IsLocalhost}: {@code localhost} or a loopback IP literal (no DNS lookup). */
    public static boolean isLoopback(String host) {
        return EndpointAddress.isLocalhost(host);
    }

    /** {@link #isLoopback} of the host of {@code host[:port]} ({@code [::1]:5000} included). */
    public static boolean isLoopbackHostPort(String hostPort) {
        return isLoopback(ContainerdUrl.hostname(hostPort));
    }

    /** K3s (Linux): {@code *} is {@code _default}; other names as written ({@code host:port}). */
    public static String dirName(String name) {
        return name.equals(EndpointResolver.WILDCARD) ? "_default" : name;
    }
}
