package dev.jpull.internal.resolve;

import dev.jpull.Endpoint;
import dev.jpull.EndpointPlan;

import dev.jpull.ConfigLocation;
import dev.jpull.ConfigWarning;
import dev.jpull.Mirror;
import dev.jpull.RegistriesConfig;
import dev.jpull.RegistryConfig;
import dev.jpull.TlsConfig;
import dev.jpull.ImageReference;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns an image reference into the ordered endpoints K3s would try (no network access).
 *
 * <ul>
 *   <li>Mirror entry: {@code mirrors[<registry>]}, else {@code mirrors["*"]}.</li>
 *   <li>Endpoints in file order, normalised as K3s does ({@link EndpointAddress}); invalid ones are skipped and
 *       duplicates (same normalised URL) dropped, each with a warning.</li>
 *   <li>The registry's own endpoint is appended last, with no rewrites, unless {@code disableDefaultEndpoint}
 *       is set and the registry has a mirror entry that yields at least one endpoint and no {@code configs}
 *       entry under the mirror's name (K3s keeps the default then, and a warning says so and why). When the last
 *       listed endpoint equals the default URL (exact mirror entry only) it is folded into the default.</li>
 *   <li>Rewrites apply to mirror endpoints only; {@code ns} is set when the endpoint host is not the image's
 *       registry.</li>
 *   <li>{@code configs} are looked up by endpoint host ({@code registry-1.docker.io}, then {@code docker.io},
 *       for Docker Hub), falling back to {@code configs["*"]} for its {@code tls} only (containerd never uses
 *       {@code configs."*".auth}); the first key present wins, even with a null value, which is how the K3s
 *       docs let {@code "docker.io":} opt out of a wildcard config.</li>
 * </ul>
 *
 * <p>Resolution-time findings (invalid endpoint URLs or rewrite patterns, duplicates) are collected in
 * the plan ({@link EndpointPlan#warnings()}) and {@link #warnings()}, each with the file, line and column it was
 * written at when known. An endpoint that Go's
 * {@code url.Parse} refuses, that cannot be connected to or requested ({@link UrlCheck}) never enters a plan.
 * Instances are not thread-safe because of that list.
 */
public final class EndpointResolver {
    static final String WILDCARD = "*";

    private final RegistriesConfig config;
    private final boolean disableDefaultEndpoint;
    private final Set<ConfigWarning> warnings = new LinkedHashSet<>();
    /** The warnings of the plan being resolved. */
    private Set<ConfigWarning> found = new LinkedHashSet<>();

    public EndpointResolver(RegistriesConfig config, boolean disableDefaultEndpoint) {
        this.config = Objects.requireNonNull(config, "config");
        this.disableDefaultEndpoint = disableDefaultEndpoint;
    }

    /** Warnings found while resolving so far (each once), in the order found: {@code FILE:LINE:COL: MESSAGE}. */
    public List<String> warnings() {
        return warnings.stream().map(ConfigWarning::located).toList();
    }

    /** {@link #warnings()} as values (file, line, column, message). */
    public List<ConfigWarning> configWarnings() {
        return List.copyOf(warnings);
    }

    private void warn(ConfigLocation at, String message) {
        ConfigWarning w = (at != null ? at : ConfigLocation.of(config.source())).warning(message);
        warnings.add(w);
        found.add(w);
    }

    /**
     * The ordered endpoints for {@code ref}; its warnings are the file's ({@link RegistriesConfig#warnings()}),
     * then those found resolving {@code ref}.
     */
    public EndpointPlan resolve(ImageReference ref) {
        found = new LinkedHashSet<>();
        String registry = ref.registry();
        String mirrorName = config.mirrors().containsKey(registry) ? registry
                : config.mirrors().containsKey(WILDCARD) ? WILDCARD : null;
        EndpointAddress defaultAddress = EndpointAddress.ofRegistry(registry);
        List<Endpoint> endpoints = new ArrayList<>();
        boolean foldedDefault = false;
        if (mirrorName != null) {
            Mirror mirror = config.mirrors().get(mirrorName);
            String where = "mirrors." + quote(mirrorName);
            String repository = Rewriter.compilePerPattern(mirror.rewrites(),
                    (pattern, w) -> warn(mirror.rewriteLocations().get(pattern), where + ": " + w))
                    .apply(ref.repository());
            Set<String> seen = new LinkedHashSet<>();
            List<String> listed = mirror.endpoints();
            for (int i = 0; i < listed.size(); i++) {
                EndpointAddress address;
                ConfigLocation at = mirror.endpointLocation(i);
                String shown = UrlCheck.redact(listed.get(i));
                try {
                    address = EndpointAddress.parse(listed.get(i));
                } catch (IllegalArgumentException e) {
                    warn(at, where + ": ignoring invalid endpoint \"" + shown + "\": " + e.getMessage());
                    continue;
                }
                if (address.note() != null) {
                    warn(at, where + ": endpoint \"" + shown + "\": " + address.note());
                }
                if (!seen.add(address.url())) {
                    warn(at, where + ": skipping duplicate endpoint \"" + shown + "\" (same as " + address.url() + ")");
                    continue;
                }
                boolean last = i == listed.size() - 1;
                boolean defaultKept = !disableDefaultEndpoint && !mirrorName.equals(WILDCARD);
                if (last && defaultKept && address.url().equals(defaultAddress.url())) {
                    foldedDefault = true; // K3s moves it to the default: tried last, without rewrites
                    continue;
                }
                endpoints.add(mirrorEndpoint(ref, address, repository, mirrorName));
            }
        }
        boolean dropDefault = false;
        if (disableDefaultEndpoint && mirrorName != null) {
            String kept = defaultKeptBecause(config, mirrorName, endpoints.size());
            dropDefault = kept == null && !foldedDefault;
            if (kept != null) {
                warn(config.locationOf("mirrors." + quote(mirrorName)), "--disable-default-endpoint has no effect "
                        + "for mirrors." + quote(mirrorName) + ": " + kept + "; " + defaultAddress.url()
                        + " is used after all, as K3s does");
            }
        }
        if (!dropDefault) {
            endpoints.add(defaultEndpoint(ref, defaultAddress,
                    K3sHosts.writesHostsFor(config, registry, disableDefaultEndpoint)));
        }
        List<ConfigWarning> planWarnings = new ArrayList<>(config.warnings());
        planWarnings.addAll(found);
        return new EndpointPlan(ref, endpoints, planWarnings);
    }

    /**
     * Why K3s keeps the registry's own endpoint for mirror entry {@code name} although the default endpoint is
     * disabled (k3s {@code getHostConfigs}), or null when it drops it: a mirror entry left without a usable
     * endpoint gets no hosts.toml at all (containerd's defaults apply), and a {@code configs} entry under the
     * mirror's own name makes the hosts.toml first, with its {@code server}, which the flag then does not remove.
     *
     * @param usable how many of the mirror's endpoints are usable (valid, not duplicates)
     */
    static String defaultKeptBecause(RegistriesConfig config, String name, int usable) {
        if (usable == 0) {
            return config.mirrors().get(name).endpoints().isEmpty() ? "it lists no endpoint"
                    : "none of its endpoints is usable (see the warnings above)";
        }
        if (!name.equals(WILDCARD) && config.configs().containsKey(name)) {
            return "configs." + quote(name) + " exists, and K3s then writes the registry itself as the server of "
                    + "its hosts.toml";
        }
        return null;
    }

    private Endpoint mirrorEndpoint(ImageReference ref, EndpointAddress address, String repository,
                                    String mirrorName) {
        List<String> keys = EndpointAddress.DOCKER_HUB.equals(address.registryName())
                ? List.of(EndpointAddress.DOCKER_HUB_HOST, EndpointAddress.DOCKER_HUB)
                : List.of(address.registryName());
        String configKey = configKey(keys);
        return new Endpoint(address.scheme(), address.host(), address.apiRoot(), repository,
                namespace(ref.registry(), address.host()), configFor(configKey), configKey, false, mirrorName);
    }

    /**
     * The registry's own endpoint. When K3s writes a hosts.toml for the registry, its {@code server}: the
     * registry's address normalised as K3s does. Otherwise containerd's default for the registry, which differs
     * only for localhost (and loopback addresses): https for no port or 443, plain http for port 80, else http
     * tried over https first; certificate verification off unless the port is 80.
     */
    private Endpoint defaultEndpoint(ImageReference ref, EndpointAddress address, boolean k3sHostsToml) {
        String registry = ref.registry();
        List<String> keys = EndpointAddress.DOCKER_HUB.equals(registry)
                ? List.of(EndpointAddress.DOCKER_HUB, EndpointAddress.DOCKER_HUB_HOST)
                : List.of(registry);
        String configKey = configKey(keys);
        RegistryConfig rc = configFor(configKey);
        String scheme = address.scheme();
        if (!k3sHostsToml && EndpointAddress.isLocalhost(ContainerdUrl.hostname(registry))) {
            String port = ContainerdUrl.port(registry);
            scheme = port.isEmpty() || port.equals("443") ? "https" : "http";
            if (!port.equals("80")) {
                rc = skipVerify(rc);
            }
        }
        return new Endpoint(scheme, address.host(), address.apiRoot(), ref.repository(), null,
                rc, configKey, true, null);
    }

    /** {@code rc} with certificate verification off (containerd's localhost default). */
    static RegistryConfig skipVerify(RegistryConfig rc) {
        TlsConfig t = rc.tls();
        TlsConfig tls = t == null ? new TlsConfig(null, null, null, true)
                : new TlsConfig(t.caFile(), t.certFile(), t.keyFile(), true, t.caFileSetting(), t.certFileSetting(),
                        t.keyFileSetting());
        return new RegistryConfig(rc.auth(), tls);
    }

    /** The first of {@code keys}, then {@code "*"}, present in {@code configs}; null when none is. */
    private String configKey(List<String> keys) {
        Map<String, RegistryConfig> configs = config.configs();
        for (String key : keys) {
            if (configs.containsKey(key)) {
                return key;
            }
        }
        return configs.containsKey(WILDCARD) ? WILDCARD : null;
    }

    /**
     * The config under {@code key}. From {@code configs["*"]} only {@code tls} is used: K3s hands {@code auth} to
     * containerd keyed {@code "*"}, and containerd looks credentials up by the exact host that asks for them, so
     * K3s never authenticates with it (k3s-io/docs#359; wharfie, K3s's own Go puller, does, but it does not pull
     * pod images). The file's warnings say so at {@code configs."*".auth}.
     */
    private RegistryConfig configFor(String key) {
        RegistryConfig c = key == null ? null : config.configs().get(key);
        if (c != null && WILDCARD.equals(key)) {
            return c.tls() == null ? RegistryConfig.EMPTY : new RegistryConfig(null, c.tls());
        }
        return c == null ? RegistryConfig.EMPTY : c;
    }

    /** containerd adds {@code ?ns=<registry>} when the endpoint host is not the registry (Hub pair excepted). */
    static String namespace(String registry, String host) {
        if (host.equals(registry) || host.equals(EndpointAddress.defaultHost(registry))) {
            return null;
        }
        return registry;
    }

    private static String quote(String name) {
        return "\"" + name + "\"";
    }
}
