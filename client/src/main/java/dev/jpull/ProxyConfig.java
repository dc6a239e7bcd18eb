package dev.jpull;

import dev.jpull.internal.http.NoProxy;


import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which proxy a request goes through, from {@code HTTP_PROXY}, {@code HTTPS_PROXY} and {@code NO_PROXY} as
 * Go's {@code httpproxy.FromEnvironment} reads them: for each, the upper-case variable if set and non-empty,
 * else the lower-case one; {@code https} URLs use the HTTPS proxy, {@code http} URLs the HTTP proxy (ignored
 * when {@code REQUEST_METHOD} is set, as Go does in CGI programs); {@link NoProxy} decides exceptions, and
 * localhost and loopback addresses always go direct — unless {@link #proxyLoopback()} is on (builder
 * {@code proxyLoopback(true)} or {@code JPULL_PROXY_LOOPBACK=1}; meant for tests and diagnosis).
 *
 * <p>A proxy value is {@code [http://][user:password@]host[:port]} (port default 80) or
 * {@code socks5://host[:port]} (default 1080, no credentials). HTTPS goes through an HTTP proxy with
 * {@code CONNECT}. Proxy credentials are sent as Basic when the proxy asks (407; for {@code CONNECT} right
 * away) and only to that proxy. Unlike Go, a value that cannot be parsed is an error, not silently ignored.
 * {@link #toString()} never shows proxy passwords.
 */
public final class ProxyConfig {
    /** No proxy at all (Java's {@code http.proxyHost} properties are ignored too). */
    public static final ProxyConfig NONE = new ProxyConfig(null, null, NoProxy.parse(""), false);

    private final ProxyUrl http;
    private final ProxyUrl https;
    private final NoProxy noProxy;
    private final boolean proxyLoopback;

    /**
     * A parsed proxy URL. {@link #toString()} hides the password.
     *
     * @param username user for Basic proxy authentication, or null
     * @param password its password, or null
     */
    public record ProxyUrl(Proxy.Type type, String host, int port, String username, String password) {
        /** The {@link Proxy} OkHttp connects through. */
        public Proxy proxy() {
            return new Proxy(type, InetSocketAddress.createUnresolved(host, port));
        }

        @Override
        public String toString() {
            return (type == Proxy.Type.SOCKS ? "socks5://" : "http://") + (username != null ? username + ":***@" : "")
                    + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    private ProxyConfig(ProxyUrl http, ProxyUrl https, NoProxy noProxy, boolean proxyLoopback) {
        this.http = http;
        this.https = https;
        this.noProxy = noProxy;
        this.proxyLoopback = proxyLoopback;
    }

    /**
     * From the environment (see the type's description); {@code JPULL_PROXY_LOOPBACK} {@code 1}/{@code true}
     * turns on {@link #proxyLoopback()}.
     *
     * @throws ConfigException naming the variable when a proxy value cannot be parsed
     */
    public static ProxyConfig fromEnvironment(Map<String, String> env) {
        String[] http = any(env, "HTTP_PROXY", "http_proxy");
        String[] https = any(env, "HTTPS_PROXY", "https_proxy");
        String[] no = any(env, "NO_PROXY", "no_proxy");
        boolean cgi = env.get("REQUEST_METHOD") != null && !env.get("REQUEST_METHOD").isEmpty();
        String loop = env.getOrDefault("JPULL_PROXY_LOOPBACK", "").strip().toLowerCase(Locale.ROOT);
        return new ProxyConfig(cgi ? null : parseProxy(http[1], http[0]), parseProxy(https[1], https[0]),
                NoProxy.parse(no[1]), loop.equals("1") || loop.equals("true"));
    }

    /**
     * Explicit values, in the same forms as the variables; null or empty means none.
     *
     * @throws ConfigException when a proxy value cannot be parsed
     */
    public static ProxyConfig of(String httpProxy, String httpsProxy, String noProxy) {
        return new ProxyConfig(parseProxy(httpProxy, "http proxy"), parseProxy(httpsProxy, "https proxy"),
                NoProxy.parse(noProxy), false);
    }

    /** The same settings with loopback proxying on or off. */
    public ProxyConfig withProxyLoopback(boolean on) {
        return new ProxyConfig(http, https, noProxy, on);
    }

    /** True when localhost and loopback addresses may be proxied too (Go never proxies them). */
    public boolean proxyLoopback() {
        return proxyLoopback;
    }

    /** The HTTP proxy, or null. */
    public ProxyUrl httpProxy() {
        return http;
    }

    /** The HTTPS proxy, or null. */
    public ProxyUrl httpsProxy() {
        return https;
    }

    /** The proxy for a request to {@code scheme://host:port}, or null for a direct connection. */
    public ProxyUrl proxyFor(String scheme, String host, int port) {
        ProxyUrl p = "https".equalsIgnoreCase(scheme) ? https : "http".equalsIgnoreCase(scheme) ? http : null;
        if (p == null || noProxy.direct(host, port, proxyLoopback)) {
            return null;
        }
        return p;
    }

    /** The {@link ProxySelector} to install on an OkHttp client. */
    public ProxySelector selector() {
        return new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
                ProxyUrl p = uri.getHost() == null ? null : proxyFor(uri.getScheme(), uri.getHost(), port);
                return List.of(p == null ? Proxy.NO_PROXY : p.proxy());
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
                // failover is the caller's business
            }
        };
    }

    private static String[] any(Map<String, String> env, String upper, String lower) {
        for (String n : new String[] {upper, lower}) {
            String v = env.get(n);
            if (v != null && !v.isEmpty()) {
                return new String[] {n, v};
            }
        }
        return new String[] {upper, null};
    }

    /** Go's {@code parseProxy}: a value without a known scheme is read as {@code http://value}. */
    static ProxyUrl parseProxy(String value, String what) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        String lower = v.toLowerCase(Locale.ROOT);
        if (!(lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("socks5://")
                || lower.startsWith("socks5h://"))) {
            v = "http://" + v;
            lower = "http://" + lower;
        }
        URI uri;
        try {
            uri = new URI(v);
        } catch (URISyntaxException e) {
            throw new ConfigException(what + " is not a valid proxy URL");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new ConfigException(what + " is not a valid proxy URL (no host)");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            throw new ConfigException(what + ": https:// proxies (TLS to the proxy) are not supported; use http://"
                    + host + (uri.getPort() == -1 ? "" : ":" + uri.getPort()));
        }
        boolean socks = scheme.startsWith("socks5");
        String user = null;
        String password = null;
        String info = uri.getRawUserInfo();
        if (info != null) {
            if (socks) {
                throw new ConfigException(what + ": credentials for a socks5 proxy are not supported");
            }
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? "" : decode(info.substring(colon + 1));
        }
        int port = uri.getPort() != -1 ? uri.getPort() : socks ? 1080 : 80;
        return new ProxyUrl(socks ? Proxy.Type.SOCKS : Proxy.Type.HTTP, host, port, user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ProxyConfig[http=" + http + ", https=" + https + ", " + noProxy + ", proxyLoopback=" + proxyLoopback + "]";
    }
}
