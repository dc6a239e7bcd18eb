package dev.jpull.internal.serve;

import dev.jpull.Endpoint;
import dev.jpull.EndpointPlan;
import dev.jpull.ImageReference;
import dev.jpull.internal.resolve.K3sHosts;
import dev.jpull.spi.PlanSource;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;

/**
 * The upstream plan of a request: the plan jpull would use for the registry and repository with the node's
 * configuration, minus the mirror itself (the rendered configuration lists it first for every registry; asking
 * itself would loop). An endpoint is the mirror when its port is the listening port and its host is the
 * listening address or, when listening on a loopback or wildcard address, any loopback name. An endpoint listed
 * twice (containerd's {@code server} also named by a {@code [host]} table) is kept once: a request hedged to a
 * silent endpoint must not go to the same one again.
 */
final class Upstream {
    private final PlanSource plans;
    private final InetSocketAddress self;

    Upstream(PlanSource plans, InetSocketAddress self) {
        this.plans = plans;
        this.self = self;
    }

    /** The plan for {@code image}; refused (404) when nothing but the mirror itself is configured for it. */
    EndpointPlan plan(ImageReference image) throws Route.Refused {
        EndpointPlan plan = plans.resolve(image);
        java.util.Set<String> seen = new java.util.HashSet<>();
        List<Endpoint> kept = plan.endpoints().stream().filter(e -> !isSelf(e) && seen.add(e.baseUrl())).toList();
        if (kept.isEmpty()) {
            throw new Route.Refused(404, "NAME_UNKNOWN", "no upstream endpoint is configured for "
                    + image.registry() + " besides this mirror");
        }
        return new EndpointPlan(plan.reference(), kept, plan.warnings());
    }

    boolean isSelf(Endpoint e) {
        URI uri;
        try {
            uri = new URI(e.scheme() + "://" + e.host() + "/");
        } catch (java.net.URISyntaxException bad) {
            return false;
        }
        int port = uri.getPort() != -1 ? uri.getPort() : e.scheme().equals("https") ? 443 : 80;
        if (port != self.getPort() || uri.getHost() == null) {
            return false;
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                : uri.getHost();
        InetAddress listening = self.getAddress();
        if (host.equalsIgnoreCase(self.getHostString())) {
            return true;
        }
        return K3sHosts.isLoopback(host) && (listening == null || listening.isLoopbackAddress() || listening.isAnyLocalAddress());
    }
}
