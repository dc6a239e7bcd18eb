package dev.jpull.internal.render;

import dev.jpull.internal.resolve.K3sHosts;
import java.util.regex.Pattern;

/**
 * The {@code HOST:PORT} of a node-local mirror ({@code jpull serve}) that {@code config render --local-mirror}
 * puts first for every registry. containerd reaches it over plain http and adds {@code ?ns=<registry>} to every
 * request, as it does for any mirror whose host is not the registry's.
 *
 * @param host an IPv4 address, a host name or a bracketed IPv6 address ({@code [::1]})
 * @param port 1-65535
 */
public record LocalMirrorAddress(String host, int port) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
            + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9A-Fa-f:.]+]");
    private static final String EXPECTED = "expected HOST:PORT, e.g. 127.0.0.1:5050";

    /**
     * Parses {@code HOST:PORT}.
     *
     * @throws IllegalArgumentException with a one-line reason
     */
    public static LocalMirrorAddress parse(String text) {
        if (text.contains("://")) {
            throw new IllegalArgumentException("write HOST:PORT without a scheme (containerd reaches the local "
                    + "mirror over plain http), e.g. 127.0.0.1:5050");
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException(colon == text.length() - 1 && colon > 0 ? "the port is missing; "
                    + EXPECTED : EXPECTED);
        }
        String host = text.substring(0, colon);
        String port = text.substring(colon + 1);
        if (!IPV6.matcher(host).matches() && !NAME.matcher(host).matches()) {
            throw new IllegalArgumentException("'" + host + "' is not a host name or IP address ("
                    + (host.indexOf(':') >= 0 ? "write an IPv6 address in brackets, e.g. [::1]:5050" : EXPECTED)
                    + ")");
        }
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("port '" + port + "' is not a number from 1 to 65535");
        }
        return new LocalMirrorAddress(host, Integer.parseInt(port));
    }

    /** {@code HOST:PORT}, as containerd names the registry of an image pulled from it. */
    public String hostPort() {
        return host + ":" + port;
    }

    /** {@code http://HOST:PORT}, the endpoint written into registries.yaml. */
    public String url() {
        return "http://" + hostPort();
    }

    /** {@code http://HOST:PORT/v2}, the {@code [host."..."]} key of hosts.toml (K3s's normalised form). */
    public String apiUrl() {
        return url() + "/v2";
    }

    /** A loopback address or {@code localhost}: only this node reaches it. */
    public boolean loopback() {
        return K3sHosts.isLoopback(host);
    }
}
