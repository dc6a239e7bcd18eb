package dev.jpull.internal.resolve;

import dev.jpull.Endpoint;
import dev.jpull.EndpointPlan;
import dev.jpull.spi.PlanSource;

import dev.jpull.ConfigWarning;
import dev.jpull.internal.config.ContainerdConfig;
import dev.jpull.internal.config.HostsDir;
import dev.jpull.RegistryConfig;
import dev.jpull.ImageReference;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Endpoint plans from a containerd {@code config.toml}, with the CRI plugin's rules ({@code registryEndpoints},
 * {@code registryHosts}):
 *
 * <ul>
 *   <li>With {@code config_path}: the hosts directories it names ({@link HostsDirResolver}), with
 *       {@code configs.<host>.auth} as credentials for the host of each request.</li>
 *   <li>Otherwise {@code mirrors[<registry>]} if the key exists (even with no endpoints), else
 *       {@code mirrors["*"]}; endpoints in order; the registry's own endpoint ({@code https://}, {@code http://}
 *       for localhost; {@code registry-1.docker.io} for docker.io) is appended unless some endpoint's host is
 *       exactly the registry name. A path that is empty becomes {@code /v2}; any other path, even {@code /}, is
 *       the API root.</li>
 *   <li>TLS and credentials: {@code configs[<endpoint host>]}, exact key only.</li>
 *   <li>An endpoint that Go's {@code url.Parse} refuses or that cannot be connected to ({@link UrlCheck}) is
 *       skipped with a warning at its position.</li>
 * </ul>
 *
 * Instances are thread-safe.
 */
public final class CriMirrorResolver implements PlanSource {
    private static final String WILDCARD = "*";

    private final ContainerdConfig config;
    private final HostsDirResolver hostsDir;

    public CriMirrorResolver(ContainerdConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.hostsDir = config.configPath() == null ? null
                : new HostsDirResolver(HostsDir.parse(config.configPath()), host -> {
                    RegistryConfig c = config.configs().get(host);
                    return c == null ? null : c.auth();
                });
    }

    /** The plan for {@code ref}; its warnings are the config file's, then those of resolving {@code ref}. */
    @Override
    public EndpointPlan resolve(ImageReference ref) {
        Set<ConfigWarning> warnings = new LinkedHashSet<>(config.warnings());
        if (hostsDir != null) {
            EndpointPlan plan = hostsDir.resolve(ref);
            warnings.addAll(plan.warnings());
            return new EndpointPlan(ref, plan.endpoints(), List.copyOf(warnings));
        }
        String registry = ref.registry();
        String mirrorName = config.mirrors().containsKey(registry) ? registry
                : config.mirrors().containsKey(WILDCARD) ? WILDCARD : null;
        List<String> listed = mirrorName == null ? List.of() : config.mirrors().get(mirrorName);
        List<Endpoint> endpoints = new ArrayList<>();
        boolean registryListed = false;
        for (int i = 0; i < listed.size(); i++) {
            String raw = listed.get(i);
            ContainerdUrl url;
            try {
                url = ContainerdUrl.cri(raw);
            } catch (IllegalArgumentException e) {
                warnings.add(config.endpointLocation(mirrorName, i).warning("mirrors.\"" + mirrorName
                        + "\": ignoring invalid endpoint \"" + UrlCheck.redact(raw) + "\": " + e.getMessage()
                        + " (containerd cannot use it either)"));
                continue;
            }
            registryListed |= url.host().equals(registry);
            endpoints.add(endpoint(ref, url, false, mirrorName));
        }
        if (!registryListed) {
            String host = EndpointAddress.defaultHost(registry);
            String scheme = EndpointAddress.isLocalhost(ContainerdUrl.hostname(registry)) ? "http" : "https";
            endpoints.add(endpoint(ref, new ContainerdUrl(scheme, host, "/v2"), true, null));
        }
        return new EndpointPlan(ref, endpoints, List.copyOf(warnings));
    }

    private Endpoint endpoint(ImageReference ref, ContainerdUrl url, boolean isDefault, String mirrorName) {
        RegistryConfig c = config.configs().get(url.host());
        return new Endpoint(url.scheme(), url.host(), url.apiRoot(), ref.repository(),
                EndpointResolver.namespace(ref.registry(), url.host()), c == null ? RegistryConfig.EMPTY : c,
                c == null ? null : url.host(), isDefault, mirrorName);
    }
}
