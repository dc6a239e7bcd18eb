package dev.jpull.internal.render;

import dev.jpull.ConfigLocation;
import dev.jpull.ConfigWarning;
import dev.jpull.Mirror;
import dev.jpull.RegistriesConfig;
import dev.jpull.internal.resolve.K3sHosts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts a node-local mirror ({@code jpull serve}) first for every registry containerd pulls from, the original
 * endpoints after it, so that containerd falls back to them when the local mirror is down: every
 * {@code certs.d/<registry>/hosts.toml} K3s would write gets the local mirror as its first {@code [host]}, and
 * when the configuration has no {@code "*"} a {@code _default} (every other registry) and a {@code docker.io}
 * (the same, for K3s versions without wildcard support) list only the local mirror before the registry itself.
 *
 * <p>The same rule is applied to a registries.yaml ({@link #registries}): the local mirror is prepended to
 * every {@code mirrors} entry K3s writes a hosts.toml for (and added for a {@code configs}-only key, which gets
 * its own hosts.toml too), so that K3s, rendering the result, writes what {@link #hosts} gives.
 * An endpoint that already is the local mirror is not listed twice (rendering a rendered file changes nothing).
 */
final class LocalMirrorFirst {
    static final String WILDCARD = "*";
    static final String DOCKER_HUB = "docker.io";

    private LocalMirrorFirst() {
    }

    /** {@code hosts} (what K3s writes for {@code config}) with the local mirror first in each. */
    static List<K3sHosts.HostConfig> hosts(RegistriesConfig config, List<K3sHosts.HostConfig> hosts,
                                           LocalMirrorAddress local, List<ConfigWarning> warnings) {
        List<K3sHosts.HostConfig> out = new ArrayList<>();
        K3sHosts.HostEndpoint first = new K3sHosts.HostEndpoint(local.apiUrl(), false, null, Map.of());
        boolean wildcard = false;
        boolean hub = false;
        for (K3sHosts.HostConfig h : hosts) {
            wildcard |= h.name().equals(WILDCARD);
            hub |= h.name().equals(DOCKER_HUB);
            if (isSelf(config, h.name(), local, warnings)) {
                out.add(h);
                continue;
            }
            List<K3sHosts.HostEndpoint> endpoints = new ArrayList<>(List.of(first));
            h.endpoints().stream().filter(e -> !e.url().equals(local.apiUrl())).forEach(endpoints::add);
            out.add(new K3sHosts.HostConfig(h.name(), h.dirName(), h.server(), h.serverTls(), endpoints));
        }
        if (!wildcard) {
            out.add(new K3sHosts.HostConfig(WILDCARD, K3sHosts.dirName(WILDCARD), null, null, List.of(first)));
            if (!hub) {
                out.add(new K3sHosts.HostConfig(DOCKER_HUB, DOCKER_HUB, K3sHosts.endpointUrl(DOCKER_HUB), null,
                        List.of(first)));
            }
        }
        return out;
    }

    /** {@code config} with the local mirror first in every {@code mirrors} entry that K3s writes a file for. */
    static RegistriesConfig registries(RegistriesConfig config, LocalMirrorAddress local,
                                       List<ConfigWarning> warnings) {
        Set<String> names = new LinkedHashSet<>();
        K3sHosts.of(config, false).hosts().forEach(h -> names.add(h.name()));
        if (!names.contains(WILDCARD)) {
            names.add(DOCKER_HUB);
        }
        names.add(WILDCARD);
        Map<String, Mirror> mirrors = new LinkedHashMap<>();
        for (Map.Entry<String, Mirror> e : config.mirrors().entrySet()) {
            Mirror m = e.getValue();
            String name = e.getKey();
            if (!names.remove(name) || isSelf(config, name, local, warnings)) {
                mirrors.put(name, m); // K3s writes no file for it: _default (with the local mirror) applies
                continue;
            }
            List<String> endpoints = new ArrayList<>(List.of(local.url()));
            m.endpoints().stream().filter(s -> !local.apiUrl().equals(K3sHosts.endpointUrl(s)))
                    .forEach(endpoints::add);
            mirrors.put(name, new Mirror(endpoints, m.rewrites(), List.of(), m.rewriteLocations()));
            if (!m.rewrites().isEmpty()) {
                ConfigLocation at = m.rewriteLocations().values().stream().findFirst()
                        .orElse(config.locationOf("mirrors.\"" + name + "\""));
                warnings.add(at.warning("mirrors.\"" + name + "\": K3s applies the rewrite to every endpoint, "
                        + local.url() + " too, so jpull serve gets the rewritten repository; --format containerd "
                        + "writes hosts.toml files that send it the original one"));
            }
        }
        for (String name : names) {
            if (!isSelf(config, name, local, warnings)) {
                mirrors.put(name, new Mirror(List.of(local.url()), Map.of()));
            }
        }
        return new RegistriesConfig(config.source(), mirrors, config.configs(), List.of(), Map.of());
    }

    /** The registry named like the local mirror itself: it is left as it is. */
    private static boolean isSelf(RegistriesConfig config, String name, LocalMirrorAddress local,
                                  List<ConfigWarning> warnings) {
        if (!name.equals(local.hostPort())) {
            return false;
        }
        String key = config.mirrors().containsKey(name) ? "mirrors" : "configs";
        ConfigWarning w = config.locationOf(key + ".\"" + name + "\"").warning(key + ".\"" + name + "\": this is "
                + "the local mirror's own address; its endpoints are left as they are");
        if (!warnings.contains(w)) {
            warnings.add(w);
        }
        return true;
    }
}
