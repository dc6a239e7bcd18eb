package dev.jpull.internal.resolve;

import java.util.Locale;
import okhttp3.HttpUrl;

/**
 * Checks the parts of an endpoint URL before it enters a plan, so that a plan never holds an endpoint the HTTP
 * client cannot request. The rules are Go's {@code url.Parse} (what K3s and containerd accept) plus what a
 * connection needs (a port in 1-65535) plus OkHttp's {@link HttpUrl} as the last word. Each method returns a
 * one-line reason, or null when the part is fine.
 */
public final class UrlCheck {
    /** ASCII characters Go's url.Parse allows in a host name besides letters and digits ({@code shouldEscape}). */
    private static final String HOST_CHARS = "-._~!$&'()*+,;=<>\"%";

    private UrlCheck() {
    }

    /**
     * A {@code host[:port]} (user info already removed): a host, Go's host characters or a bracketed IPv6
     * literal, and a port of digits in 1-65535 when there is one ({@code host:} with an empty port is fine).
     */
    public static String authority(String authority) {
        if (authority.isEmpty()) {
            return "no host";
        }
        String host = authority;
        String port = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                return "missing ']' in host";
            }
            host = authority.substring(0, close + 1);
            String rest = authority.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                return "invalid port \"" + rest + "\" after host";
            }
            port = rest.isEmpty() ? null : rest.substring(1);
            if (!host.substring(1, host.length() - 1).matches("[0-9A-Fa-f:.]+(%25.+)?")) {
                return "invalid IPv6 address " + host;
            }
        } else {
            int colon = authority.lastIndexOf(':');
            if (colon >= 0) {
                host = authority.substring(0, colon);
                port = authority.substring(colon + 1);
            }
            if (host.isEmpty()) {
                return "no host";
            }
            for (int i = 0; i < host.length(); i++) {
                char c = host.charAt(i);
                boolean ok = c >= 0x80 || Character.isLetterOrDigit(c) && c < 0x80 || HOST_CHARS.indexOf(c) >= 0;
                if (!ok) {
                    return "invalid character " + show(c) + " in host name";
                }
            }
        }
        if (port != null && !port.isEmpty()) {
            if (!port.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                return "invalid port \":" + port + "\" after host";
            }
            long n = port.length() > 6 ? Long.MAX_VALUE : Long.parseLong(port);
            if (n < 1 || n > 65535) {
                return "invalid port " + port + " (a port is 1-65535; nothing can connect to it)";
            }
        }
        return null;
    }

    /** Go's {@code url.Parse} refuses a URL with any ASCII control character. */
    static String control(String url) {
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "invalid control character " + show(c) + " in URL";
            }
        }
        return null;
    }

    /** A path: no control characters, and every {@code %} starts an escape of two hex digits (Go's rules). */
    static String path(String path) {
        String control = control(path);
        if (control != null) {
            return control;
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' && (i + 2 >= path.length() || hex(path.charAt(i + 1)) < 0 || hex(path.charAt(i + 2)) < 0)) {
                return "invalid URL escape \"" + path.substring(i, Math.min(i + 3, path.length())) + "\"";
            }
        }
        return null;
    }

    /**
     * What the HTTP client makes of {@code scheme://host + apiRoot}: null when it can request it and
     * {@link java.net.URI} can read it back (output and traces parse endpoint URLs with it).
     */
    public static String usable(String scheme, String host, String apiRoot) {
        String base = scheme + "://" + host + apiRoot + "/";
        HttpUrl url = HttpUrl.parse(base);
        boolean uri;
        try {
            uri = new java.net.URI(url == null ? base : url.toString()).getRawAuthority() != null;
        } catch (java.net.URISyntaxException e) {
            uri = false;
        }
        if (url == null || !uri) {
            return "not a usable URL host \"" + host + "\"";
        }
        return null;
    }

    /** {@code raw} with any user info replaced, for messages (it may hold a password). */
    static String redact(String raw) {
        int start = raw.indexOf("://");
        start = start < 0 ? 0 : start + 3;
        int end = start;
        while (end < raw.length() && "/?#".indexOf(raw.charAt(end)) < 0) {
            end++;
        }
        int at = raw.lastIndexOf('@', end - 1);
        if (at < start) {
            return raw;
        }
        return raw.substring(0, start) + "<user info>" + raw.substring(at);
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    private static String show(char c) {
        return c < 0x20 || c == 0x7f ? String.format(Locale.ROOT, "U+%04X", (int) c) : "'" + c + "'";
    }
}
