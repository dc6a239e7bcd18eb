package dev.jpull.internal.resolve;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A mirror endpoint string normalised the way K3s does it ({@code normalizeEndpointAddress} in
 * k3s {@code pkg/agent/containerd/config.go}).
 *
 * @param scheme       {@code http} or {@code https}
 * @param host         {@code host[:port]} requests go to ({@code docker.io} becomes {@code registry-1.docker.io})
 * @param registryName the host as written, mapped back to {@code docker.io} for {@code registry-1.docker.io};
 *                     the name used to look up {@code configs}
 * @param apiRoot      {@code /v2}, or the endpoint's own path when it is anything other than
 *                     {@code ""}, {@code /}, {@code /v2} (K3s {@code override_path}); never ends with {@code /}
 * @param note         what of the string is ignored (user info, query, fragment), for a warning; null if nothing
 */
record EndpointAddress(String scheme, String host, String registryName, String apiRoot, String note) {
    static final String DOCKER_HUB = "docker.io";
    static final String DOCKER_HUB_HOST = "registry-1.docker.io";

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    /** {@code scheme://host + apiRoot}, the string that identifies the endpoint (dedupe, default comparison). */
    String url() {
        return scheme + "://" + host + apiRoot;
    }

    /**
     * Normalises an endpoint string ({@code host[:port][/path]} or a URL with {@code http}/{@code https}). What
     * Go's {@code url.Parse} rejects (K3s then ignores the endpoint), and what cannot be connected to (a port
     * outside 1-65535) or requested, is refused ({@link UrlCheck}).
     *
     * @throws IllegalArgumentException with a one-line reason when the string cannot be used
     */
    static EndpointAddress parse(String endpoint) {
        String control = UrlCheck.control(endpoint);
        if (control != null) {
            throw new IllegalArgumentException(control);
        }
        String scheme = "";
        String rest = endpoint;
        int sep = endpoint.indexOf("://");
        if (sep >= 0) {
            scheme = endpoint.substring(0, sep).toLowerCase(Locale.ROOT);
            rest = endpoint.substring(sep + 3);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("unsupported scheme '" + scheme + "' (use http or https)"
                        + dev.jpull.internal.config.DidYouMean.hint(scheme, java.util.List.of("http", "https")));
            }
        }
        int end = indexOfAny(rest, "/?#");
        String authority = end < 0 ? rest : rest.substring(0, end);
        String path = "";
        if (end >= 0 && rest.charAt(end) == '/') {
            int q = indexOfAny(rest.substring(end), "?#");
            path = q < 0 ? rest.substring(end) : rest.substring(end, end + q);
        }
        int at = authority.lastIndexOf('@');
        String note = null;
        if (at >= 0) {
            authority = authority.substring(at + 1); // user info is not part of the host (Go url.URL.Host)
            note = "the user info in the URL is ignored (K3s and containerd do not send it; put credentials "
                    + "under configs.<host>.auth)";
        } else if (end >= 0 && indexOfAny(rest.substring(end), "?#") >= 0) {
            note = "the query and fragment of the URL are ignored (as containerd ignores them)";
        }
        String problem = UrlCheck.authority(authority);
        if (problem == null) {
            problem = UrlCheck.path(path);
        }
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        String port = port(authority);
        String hostOnly = port == null ? authority : authority.substring(0, authority.length() - port.length() - 1);
        if (scheme.isEmpty()) {
            boolean oddLocalPort = port != null && !port.isEmpty() && !port.equals("443");
            scheme = isLocalhost(hostOnly) && oddLocalPort ? "http" : "https";
        }
        String registryName = authority;
        String host = defaultHost(authority);
        if (host.equals(DOCKER_HUB_HOST)) {
            registryName = DOCKER_HUB;
        }
        String apiRoot = apiRoot(path);
        String unusable = UrlCheck.usable(scheme, host, apiRoot);
        if (unusable != null) {
            throw new IllegalArgumentException(unusable);
        }
        return new EndpointAddress(scheme, host, registryName, apiRoot, note);
    }

    /** The default endpoint of a registry: {@code https://R/v2} (docker.io: registry-1.docker.io; loopback rules). */
    static EndpointAddress ofRegistry(String registry) {
        return parse(registry);
    }

    private static String apiRoot(String path) {
        if (path.isEmpty() || path.equals("/") || path.equals("/v2")) {
            return "/v2";
        }
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** containerd {@code docker.DefaultHost}: only {@code docker.io} is mapped. */
    static String defaultHost(String host) {
        return host.equals(DOCKER_HUB) ? DOCKER_HUB_HOST : host;
    }

    /** The port part of {@code host[:port]} (without the colon), null when absent; handles {@code [ipv6]}. */
    private static String port(String authority) {
        int colon = authority.lastIndexOf(':');
        if (colon < 0 || authority.lastIndexOf(']') > colon) {
            return null;
        }
        if (authority.startsWith("[") && authority.lastIndexOf(']') < 0) {
            return null;
        }
        if (!authority.startsWith("[") && authority.indexOf(':') != colon) {
            return null; // bare IPv6 without brackets: no port
        }
        return authority.substring(colon + 1);
    }

    /** containerd {@code docker.IsLocalhost}: {@code localhost} or a loopback IP literal (no DNS lookup). */
    static boolean isLocalhost(String host) {
        String h = host;
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost")) {
            return true;
        }
        var m = IPV4.matcher(h);
        if (m.matches()) {
            return Integer.parseInt(m.group(1)) == 127 && octets(m);
        }
        if (h.indexOf(':') >= 0) {
            return isIpv6Loopback(h);
        }
        return false;
    }

    private static boolean octets(java.util.regex.Matcher m) {
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(m.group(i)) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6Loopback(String h) {
        if (!h.matches("[0-9A-Fa-f:.]+")) {
            return false;
        }
        try {
            return java.net.InetAddress.getByName("[" + h + "]").isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
