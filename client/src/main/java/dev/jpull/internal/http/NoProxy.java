package dev.jpull.internal.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code NO_PROXY} with the semantics of Go's {@code golang.org/x/net/http/httpproxy}: a comma-separated list;
 * {@code *} matches everything; {@code example.com} matches that host and its subdomains,
 * {@code .example.com} (or {@code *.example.com}) only subdomains; {@code host:port} only that port;
 * IP addresses ({@code 10.1.2.3}, {@code [::1]:5000}) and CIDRs ({@code 10.0.0.0/8}) match IP literals in
 * the URL (no DNS). Entries are case-insensitive; malformed entries are ignored. Independently of the list,
 * Go never proxies {@code localhost} and loopback IP literals: {@link #direct} reports that too unless
 * {@code proxyLoopback}.
 */
public final class NoProxy {
    private final String spec;
    private final boolean all;
    private final List<Entry> entries;

    /** One entry: an IP with optional CIDR prefix, or a domain suffix; with optional port. */
    private record Entry(byte[] ip, int prefix, String domain, boolean matchHost, String port) {
    }

    private NoProxy(String spec, boolean all, List<Entry> entries) {
        this.spec = spec;
        this.all = all;
        this.entries = List.copyOf(entries);
    }

    /** Parses a {@code NO_PROXY} value; null or empty means no exceptions. */
    public static NoProxy parse(String value) {
        List<Entry> entries = new ArrayList<>();
        String spec = value == null ? "" : value;
        for (String raw : spec.split(",")) {
            String p = raw.strip().toLowerCase(Locale.ROOT);
            if (p.isEmpty()) {
                continue;
            }
            if (p.equals("*")) {
                return new NoProxy(spec, true, List.of());
            }
            int slash = p.indexOf('/');
            if (slash >= 0) {
                byte[] ip = ipLiteral(p.substring(0, slash));
                Integer bits = digits(p.substring(slash + 1));
                if (ip != null && bits != null && bits <= ip.length * 8) {
                    entries.add(new Entry(ip, bits, null, false, ""));
                }
                continue; // Go: a failed CIDR parse falls through to host parsing, which cannot match a '/' name
            }
            String host = p;
            String port = "";
            if (p.startsWith("[")) {
                int close = p.indexOf(']');
                if (close > 0 && p.startsWith(":", close + 1)) {
                    host = p.substring(1, close);
                    port = p.substring(close + 2);
                }
            } else if (p.indexOf(':') >= 0 && p.indexOf(':') == p.lastIndexOf(':')) {
                host = p.substring(0, p.indexOf(':'));
                port = p.substring(p.indexOf(':') + 1);
            }
            if (host.isEmpty()) {
                continue;
            }
            byte[] ip = ipLiteral(host);
            if (ip != null) {
                entries.add(new Entry(ip, ip.length * 8, null, false, port));
                continue;
            }
            if (host.startsWith("*.")) {
                host = host.substring(1);
            }
            boolean matchHost = !host.startsWith(".");
            entries.add(new Entry(null, 0, matchHost ? "." + host : host, matchHost, port));
        }
        return new NoProxy(spec, false, entries);
    }

    /**
     * True when a request to {@code host:port} goes direct: localhost or a loopback literal (unless
     * {@code proxyLoopback}), or a {@code NO_PROXY} match.
     *
     * @param host host name or IP literal (IPv6 with or without brackets)
     * @param port the request's port (the scheme's default when the URL has none)
     */
    public boolean direct(String host, int port, boolean proxyLoopback) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        byte[] ip = ipLiteral(h);
        if (!proxyLoopback && (h.equals("localhost") || (ip != null && isLoopback(ip)))) {
            return true;
        }
        if (all) {
            return true;
        }
        String p = Integer.toString(port);
        for (Entry e : entries) {
            boolean hit;
            if (e.ip() != null) {
                hit = ip != null && inPrefix(ip, e.ip(), e.prefix());
            } else {
                hit = h.endsWith(e.domain()) || (e.matchHost() && h.equals(e.domain().substring(1)));
            }
            if (hit && (e.port().isEmpty() || e.port().equals(p))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLoopback(byte[] ip) {
        if (ip.length == 4) {
            return (ip[0] & 0xff) == 127;
        }
        for (int i = 0; i < 15; i++) {
            if (ip[i] != 0) {
                return false;
            }
        }
        return ip[15] == 1;
    }

    private static boolean inPrefix(byte[] ip, byte[] net, int bits) {
        if (ip.length != net.length) {
            return false;
        }
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >>> (i % 8);
            if ((ip[i / 8] & mask) != (net[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** The address bytes of an IPv4 dotted quad or IPv6 literal, else null. Never does DNS. */
    static byte[] ipLiteral(String s) {
        if (s.isEmpty()) {
            return null;
        }
        if (s.indexOf(':') < 0) {
            String[] parts = s.split("\\.", -1);
            if (parts.length != 4) {
                return null;
            }
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                Integer v = digits(parts[i]);
                if (v == null || v > 255 || (parts[i].length() > 1 && parts[i].startsWith("0"))) {
                    return null;
                }
                b[i] = (byte) (int) v;
            }
            return b;
        }
        if (!s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            return null;
        }
        try {
            return InetAddress.getByName("[" + s + "]").getAddress(); // bracketed: parsed as a literal, never looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static Integer digits(String s) {
        if (s.isEmpty() || s.length() > 3 || !s.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Integer.parseInt(s);
    }

    @Override
    public String toString() {
        return "NoProxy[" + spec + "]";
    }
}
