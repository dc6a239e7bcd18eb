package dev.jpull;

import dev.jpull.internal.resolve.UrlCheck;
import dev.jpull.spi.PlanSource;


/**
 * One endpoint of a plan: where and how to ask for an image.
 *
 * @param scheme      {@code http} or {@code https}
 * @param host        {@code host[:port]} exactly as in the endpoint URL (the key used for {@code configs})
 * @param apiRoot     path that replaces {@code /v2}: {@code /v2} normally, or the full override path
 *                    (e.g. {@code /prefix/v2}, {@code /foo}); never ends with {@code /}
 * @param repository  repository on this endpoint, after rewrites
 * @param namespace   value of the {@code ns} query parameter (the image's registry), or null
 * @param config      TLS and auth for this endpoint, {@link RegistryConfig#EMPTY} when none
 * @param configKey   which {@code configs} key supplied {@code config}, or null
 * @param isDefault   true for the registry's own (default) endpoint appended after the mirrors
 * @param mirrorName  which {@code mirrors} key produced this endpoint, or null for the default endpoint
 */
public record Endpoint(String scheme, String host, String apiRoot, String repository, String namespace,
                       RegistryConfig config, String configKey, boolean isDefault, String mirrorName) {
    /**
     * Every plan source checks URLs before it builds endpoints ({@link UrlCheck}); this guard keeps an endpoint
     * the HTTP client cannot request (e.g. from a custom {@link PlanSource}) out of any plan.
     *
     * @throws IllegalArgumentException when {@code scheme://host + apiRoot} is not a usable http(s) URL
     */
    public Endpoint {
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("endpoint scheme must be http or https");
        }
        String problem = host == null || apiRoot == null ? "no host" : UrlCheck.authority(host);
        if (problem == null) {
            problem = UrlCheck.usable(scheme, host, apiRoot);
        }
        if (problem != null) {
            throw new IllegalArgumentException("invalid endpoint: " + problem);
        }
    }

    /** {@code scheme://host} + apiRoot, e.g. {@code https://mirror.example.com/v2}. Identifies the endpoint. */
    public String baseUrl() {
        return scheme + "://" + host + apiRoot;
    }

    /** Full URL of {@code /manifests/<ref>} or {@code /blobs/<digest>} on this endpoint, with {@code ns}. */
    public String url(String kind, String ref) {
        String u = baseUrl() + "/" + repository + "/" + kind + "/" + ref;
        return namespace == null ? u : u + "?ns=" + namespace;
    }

    /** {@code none}, {@code basic}, {@code identity-token}. */
    public String credentialsKind() {
        return config.auth() == null ? "none" : config.auth().kind();
    }

    /**
     * {@code plain-http}, {@code https}, {@code https ca=FILE}, {@code https client-cert=FILE},
     * {@code https insecure-skip-verify}...; an {@code http} endpoint with TLS settings on a port other than 80 is
     * tried over https first, as containerd does: {@code https insecure-skip-verify, then plain-http}.
     */
    public String tlsMode() {
        var tls = config.tls();
        boolean tlsSet = tls != null && tls.isSet();
        if ("http".equals(scheme)) {
            return tlsSet && httpsFirst() ? tlsModeOf(tls) + ", then plain-http" : "plain-http";
        }
        if (!tlsSet) {
            return "https";
        }
        return tlsModeOf(tls);
    }

    /** True for an {@code http} endpoint that containerd tries over https first (TLS settings, port not 80). */
    public boolean httpsFirst() {
        var tls = config.tls();
        if (!"http".equals(scheme) || tls == null || !tls.isSet()) {
            return false;
        }
        int colon = host.lastIndexOf(':');
        boolean hasPort = colon > host.lastIndexOf(']');
        return hasPort && !host.substring(colon + 1).equals("80");
    }

    private static String tlsModeOf(TlsConfig tls) {
        StringBuilder sb = new StringBuilder("https");
        if (tls.insecureSkipVerify()) {
            sb.append(" insecure-skip-verify");
        }
        if (tls.caFile() != null) {
            sb.append(" ca=").append(tls.caFile());
        }
        if (tls.certFile() != null) {
            sb.append(" client-cert=").append(tls.certFile());
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return baseUrl() + " (" + repository + ")";
    }
}
