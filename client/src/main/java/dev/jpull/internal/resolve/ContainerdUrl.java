package dev.jpull.internal.resolve;

import dev.jpull.Endpoint;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * A host URL as containerd reads it, split into the parts of an {@link Endpoint}.
 *
 * @param scheme  {@code http} or {@code https}
 * @param host    {@code host[:port]}
 * @param apiRoot the path requests are made under; never ends with {@code /} ({@code ""} for the root)
 */
record ContainerdUrl(String scheme, String host, String apiRoot) {

    /**
     * hosts.toml ({@code parseHostConfig}): a key not starting with {@code http} gets {@code https://}; an empty
     * path becomes {@code /v2} (empty with override_path); any other path is cleaned and gets {@code /v2} appended
     * unless it ends with {@code /v2} or override_path is set.
     */
    static ContainerdUrl hostsToml(String raw, boolean overridePath) {
        String url = raw.startsWith("http") ? raw : "https://" + raw;
        String[] parts = split(url);
        String path = parts[2];
        String apiRoot;
        if (path.isEmpty()) {
            apiRoot = overridePath ? "" : "/v2";
        } else {
            String cleaned = clean(path);
            apiRoot = cleaned.endsWith("/v2") || overridePath ? cleaned : clean(cleaned + "/v2");
        }
        return checked(parts[0], parts[1], trimSlash(apiRoot));
    }

    /**
     * CRI {@code registry.mirrors} ({@code registryEndpoints}/{@code registryHosts}): a string without {@code ://}
     * gets {@code http://} for localhost and loopback hosts, {@code https://} otherwise; an empty path becomes
     * {@code /v2}; any other path, even {@code /}, is the API root as written.
     */
    static ContainerdUrl cri(String raw) {
        String url = raw;
        if (!raw.contains("://")) {
            String[] hostOnly = split("http://" + raw);
            url = (EndpointAddress.isLocalhost(hostname(hostOnly[1])) ? "http://" : "https://") + raw;
        }
        String[] parts = split(url);
        String apiRoot = parts[2].isEmpty() ? "/v2" : clean(parts[2]);
        return checked(parts[0], parts[1], trimSlash(apiRoot));
    }

    private static ContainerdUrl checked(String scheme, String host, String apiRoot) {
        String problem = UrlCheck.usable(scheme, host, apiRoot);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new ContainerdUrl(scheme, host, apiRoot);
    }

    /**
     * {@code [scheme, host[:port], path]}; throws IllegalArgumentException for other schemes, no host, and what
     * Go's {@code url.Parse} refuses or cannot be connected to ({@link UrlCheck}). Messages never show user info.
     */
    private static String[] split(String url) {
        String control = UrlCheck.control(url);
        if (control != null) {
            throw new IllegalArgumentException(control);
        }
        int sep = url.indexOf("://");
        if (sep < 0) {
            throw new IllegalArgumentException("not a URL: \"" + UrlCheck.redact(url) + "\"");
        }
        String scheme = url.substring(0, sep).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("unsupported scheme '" + scheme + "' in \"" + UrlCheck.redact(url)
                    + "\"" + dev.jpull.internal.config.DidYouMean.hint(scheme, java.util.List.of("http", "https")));
        }
        String rest = url.substring(sep + 3);
        int q = indexOfAny(rest, "?#");
        if (q >= 0) {
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = authority.substring(at + 1);
        }
        if (authority.isEmpty()) {
            throw new IllegalArgumentException("no host in \"" + UrlCheck.redact(url) + "\"");
        }
        String problem = UrlCheck.authority(authority);
        if (problem == null) {
            problem = UrlCheck.path(path);
        }
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new String[] {scheme, authority, path};
    }

    /** The host without {@code :port}. */
    static String hostname(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            return close > 0 ? hostPort.substring(0, close + 1) : hostPort;
        }
        return colon >= 0 && hostPort.indexOf(':') == colon ? hostPort.substring(0, colon) : hostPort;
    }

    /** The port of {@code host:port}, or "" when none. */
    static String port(String hostPort) {
        String name = hostname(hostPort);
        return hostPort.length() > name.length() + 1 ? hostPort.substring(name.length() + 1) : "";
    }

    /** Go {@code path.Clean} for absolute paths. */
    static String clean(String path) {
        Deque<String> out = new ArrayDeque<>();
        for (String seg : path.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                out.pollLast();
            } else {
                out.addLast(seg);
            }
        }
        return "/" + String.join("/", out);
    }

    private static String trimSlash(String p) {
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
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
