package dev.jpull.internal.resolve;

import dev.jpull.Endpoint;
import dev.jpull.EndpointPlan;
import dev.jpull.spi.PlanSource;

import dev.jpull.AuthConfig;
import dev.jpull.ConfigLocation;
import dev.jpull.ConfigWarning;
import dev.jpull.ConfigSetting;
import dev.jpull.internal.config.HostsDir;
import dev.jpull.internal.config.HostsFile;
import dev.jpull.RegistryConfig;
import dev.jpull.TlsConfig;
import dev.jpull.ImageReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Endpoint plans from a containerd hosts directory, with containerd's rules ({@code ConfigureHosts}):
 *
 * <ul>
 *   <li>Directory per {@link HostsDir#directoryFor}; files are read on every call (containerd reads them per
 *       pull).</li>
 *   <li>{@code [host."..."]} entries in file order, then the root entry: {@code server}, or when it is absent the
 *       namespace's own registry ({@code registry-1.docker.io} for {@code docker.io}; for localhost
 *       {@code https} on port 443 or none, else {@code http}) with all capabilities.</li>
 *   <li>URL paths per {@link ContainerdUrl#hostsToml}; {@code ns} is set when the host is not the image's
 *       registry (the docker.io / registry-1.docker.io pair excepted).</li>
 *   <li>A tag is resolved only on hosts with {@code pull} and {@code resolve}; a digest on hosts with
 *       {@code pull}.</li>
 *   <li>TLS: the first {@code ca} file, the first {@code client} certificate, {@code skip_verify}.</li>
 *   <li>The K3s containerd fork's {@code rewrite} tables are applied (upstream containerd ignores them).</li>
 * </ul>
 *
 * <p>A host URL that Go's {@code url.Parse} refuses or that cannot be connected to ({@link UrlCheck}) is skipped
 * with a warning at its position (containerd fails on it too). An {@code http://} host with TLS settings on a
 * port other than 80 (also the localhost default) is tried over https first, then http, as containerd does
 * ({@code HttpsFirst} in the transport). Not supported (reported as warnings): {@code header},
 * {@code dial_timeout}, more than one CA or client certificate.
 * Instances are thread-safe.
 */
public final class HostsDirResolver implements PlanSource {
    private final HostsDir dir;
    private final Function<String, AuthConfig> auth;

    public HostsDirResolver(HostsDir dir) {
        this(dir, host -> null);
    }

    /** With credentials per request host (containerd CRI {@code configs.<host>.auth} next to config_path). */
    public HostsDirResolver(HostsDir dir, Function<String, AuthConfig> auth) {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    /** The plan for {@code ref}; its warnings are those of the hosts file read for it, each once. */
    @Override
    public EndpointPlan resolve(ImageReference ref) {
        Set<ConfigWarning> warnings = new LinkedHashSet<>();
        String namespace = ref.registry();
        Optional<Path> hostDir = dir.directoryFor(namespace);
        HostsFile file = hostDir.map(HostsDir::load).orElse(null);
        String dirName = hostDir.map(p -> p.getFileName().toString()).orElse(null);
        List<Endpoint> endpoints = new ArrayList<>();
        if (file != null) {
            warnings.addAll(file.warnings());
            for (HostsFile.Host h : file.hosts()) {
                ContainerdUrl url = eligible(h, ref) ? url(file, h, "host", warnings) : null;
                if (url != null) {
                    String repository = rewrite(file, h, ref.repository(), warnings);
                    endpoints.add(endpoint(file, h, ref, url, repository, false, dirName));
                }
            }
        }
        HostsFile.Host root = file == null ? HostsFile.Host.plain(null) : file.server();
        if (root.url() != null) {
            ContainerdUrl url = eligible(root, ref) ? url(file, root, "server", warnings) : null;
            if (url != null) {
                endpoints.add(endpoint(file, root, ref, url, ref.repository(), true, dirName));
            }
        } else {
            endpoints.add(defaultEndpoint(file, root, ref, dirName));
        }
        return new EndpointPlan(ref, endpoints, List.copyOf(warnings));
    }

    private static boolean eligible(HostsFile.Host h, ImageReference ref) {
        return h.can("pull") && (ref.digest() != null || h.can("resolve"));
    }

    /** The namespace's own registry, used when {@code server} is absent: all capabilities, root TLS. */
    private Endpoint defaultEndpoint(HostsFile file, HostsFile.Host root, ImageReference ref, String dirName) {
        String namespace = ref.registry();
        String scheme = "https";
        String host = EndpointAddress.defaultHost(namespace);
        Boolean skipVerify = root.skipVerify();
        if (EndpointAddress.isLocalhost(ContainerdUrl.hostname(namespace))) {
            String port = ContainerdUrl.port(namespace);
            scheme = port.isEmpty() || port.equals("443") ? "https" : "http";
            if (!port.equals("80")) {
                skipVerify = true;
            }
        }
        HostsFile.Host withSkip = new HostsFile.Host(null, HostsFile.ALL_CAPABILITIES, root.ca(), root.client(),
                skipVerify, false, root.headers(), root.rewrites());
        return endpoint(file, withSkip, ref, new ContainerdUrl(scheme, host, "/v2"), ref.repository(), true,
                dirName);
    }

    private Endpoint endpoint(HostsFile file, HostsFile.Host h, ImageReference ref, ContainerdUrl url,
                              String repository, boolean isDefault, String dirName) {
        TlsConfig tls = null;
        if (h.hasTls()) {
            Path ca = h.ca().isEmpty() ? null : h.ca().get(0);
            HostsFile.ClientCert client = h.client().isEmpty() ? null : h.client().get(0);
            Path cert = client == null ? null : client.cert();
            Path key = client == null ? null : client.key() != null ? client.key() : client.cert();
            String prefix = isDefault ? "" : "host.\"" + UrlCheck.redact(String.valueOf(h.url())) + "\".";
            ConfigLocation at = at(file, h);
            tls = new TlsConfig(ca, cert, key, Boolean.TRUE.equals(h.skipVerify()),
                    new ConfigSetting(prefix + "ca", at), new ConfigSetting(prefix + "client", at),
                    new ConfigSetting(prefix + "client", at));
        }
        AuthConfig credentials = auth.apply(url.host());
        RegistryConfig config = tls == null && credentials == null ? RegistryConfig.EMPTY
                : new RegistryConfig(credentials, tls);
        return new Endpoint(url.scheme(), url.host(), url.apiRoot(), repository,
                EndpointResolver.namespace(ref.registry(), url.host()), config,
                credentials == null ? null : url.host(), isDefault, dirName);
    }

    private String rewrite(HostsFile file, HostsFile.Host h, String repository, Set<ConfigWarning> warnings) {
        if (h.rewrites().isEmpty()) {
            return repository;
        }
        String where = "host." + "\"" + UrlCheck.redact(h.url()) + "\".rewrite";
        return Rewriter.compile(h.rewrites(), w -> warnings.add(at(file, h).warning(where + ": " + w)))
                .apply(repository);
    }

    /** The URL of {@code h}; null, with a warning at its position, when it cannot be used. */
    private ContainerdUrl url(HostsFile file, HostsFile.Host h, String key, Set<ConfigWarning> warnings) {
        try {
            return ContainerdUrl.hostsToml(h.url(), h.overridePath());
        } catch (IllegalArgumentException e) {
            String shown = UrlCheck.redact(h.url());
            String what = key.equals("server") ? "server \"" + shown + "\"" : "host.\"" + shown + "\"";
            warnings.add(at(file, h).warning("ignoring " + what + ": " + e.getMessage()
                    + " (containerd cannot use it either)"));
            return null;
        }
    }

    private static ConfigLocation at(HostsFile file, HostsFile.Host h) {
        return h.location() != null ? h.location() : ConfigLocation.of(file == null ? null : file.file());
    }
}
