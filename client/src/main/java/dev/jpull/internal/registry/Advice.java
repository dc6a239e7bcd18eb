package dev.jpull.internal.registry;

import dev.jpull.Endpoint;
import dev.jpull.Outcome;
import dev.jpull.TlsResult;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a failure classified by {@link Failures} means for one endpoint, in words, and what to change in the
 * configuration: the same sentences for {@code pull}'s attempts and {@code diagnose}'s findings (an unknown CA,
 * a wrong scheme, a certificate for another host, nothing listening, no route, a name that does not resolve).
 */
public final class Advice {
    private static final Pattern ALT_NAMES = Pattern.compile("subjectAltNames: \\[([^\\]]*)\\]");

    private Advice() {
    }

    /** A TCP connect that nothing accepted. */
    public static String refused(String address) {
        return "connection refused: nothing listens on " + address;
    }

    /** A TCP connect with no route to the host or its network. */
    public static String unreachable(String address) {
        return "network unreachable: no route to " + address;
    }

    /** A host name that does not resolve. */
    public static String unresolved(String host) {
        return "cannot resolve " + host;
    }

    /**
     * The error text of an attempt that failed with {@code f} on {@code ep}: the failure in words, then (after
     * {@code "; "}) what to change when the configuration can fix it.
     */
    static String error(EndpointFailure f, Endpoint ep) {
        Throwable cause = f.getCause();
        if (cause == null) {
            return f.getMessage();
        }
        if (f.outcome() == Outcome.DNS_ERROR) {
            return unresolved(hostName(ep.host()));
        }
        if (f.outcome() == Outcome.UNREACHABLE) {
            return unreachable(address(ep));
        }
        if (f.outcome() == Outcome.REFUSED && Failures.REFUSED.equals(Failures.connectKind(cause))) {
            return refused(address(ep));
        }
        if (f.outcome() != Outcome.TLS_ERROR) {
            return f.getMessage();
        }
        String kind = Failures.tlsKind(cause);
        String hint = TlsResult.PLAINTEXT.equals(kind) ? scheme(ep, registry(ep), true)
                : tls(kind, ep, null, altNames(cause), null);
        return f.getMessage() + (hint == null ? "" : "; " + hint);
    }

    /**
     * A wrong scheme: an https endpoint that speaks plain HTTP ({@code plainText}), or an http one that speaks
     * TLS; {@code registry} is the {@code mirrors} key to name when the endpoint came from none.
     */
    public static String scheme(Endpoint ep, String registry, boolean plainText) {
        String where = " in mirrors.\"" + (ep.mirrorName() != null ? ep.mirrorName() : registry) + "\".endpoint";
        return plainText
                ? "wrong scheme: " + ep.host() + " speaks plain HTTP, not TLS; list the endpoint as \"http://"
                        + ep.host() + rootPath(ep) + "\"" + where
                : "wrong scheme: " + ep.host() + " speaks TLS, not plain HTTP; list the endpoint as \"https://"
                        + ep.host() + rootPath(ep) + "\"" + where;
    }

    /**
     * What to change for a TLS failure of {@code kind} ({@link TlsResult} constants) on an https endpoint, or null;
     * {@code issuer}, {@code names} and {@code notAfter} describe the server certificate when known.
     */
    public static String tls(String kind, Endpoint ep, String issuer, List<String> names, Instant notAfter) {
        String key = configsKey(ep);
        var caFile = ep.config().tls() == null ? null : ep.config().tls().caFile();
        return switch (kind) {
            case TlsResult.UNTRUSTED -> "unknown CA: the certificate of " + ep.host() + " is issued by "
                    + (issuer == null ? "a CA" : issuer) + ", which is not among the system CAs"
                    + (caFile == null ? "; set configs.\"" + key + "\".tls.ca_file to that CA's certificate (PEM)"
                    : " nor in configs.\"" + key + "\".tls.ca_file (" + caFile + "); point ca_file at the CA "
                    + "that issued the certificate");
            case TlsResult.HOSTNAME -> "the certificate does not name " + ep.host() + "; use a host it names"
                    + (names.isEmpty() ? "" : " (" + String.join(", ", names) + ")") + " in the endpoint URL, "
                    + "or reissue the certificate";
            case TlsResult.EXPIRED -> notAfter == null
                    ? "the certificate of " + ep.host() + " has expired or is not valid yet; renew it, or check "
                            + "the clocks"
                    : notAfter.isBefore(Instant.now())
                    ? "the certificate of " + ep.host() + " expired on " + notAfter + "; renew it"
                    : "the certificate of " + ep.host() + " is not valid yet (check the clocks)";
            default -> null;
        };
    }

    /** The {@code configs} key to name in advice: the one in use, else the endpoint host. */
    public static String configsKey(Endpoint ep) {
        return ep.configKey() != null && !ep.configKey().equals("*") ? ep.configKey() : ep.host();
    }

    /** The mirrors key the endpoint belongs to: its mirror, else its image's registry (the ns), else its host. */
    private static String registry(Endpoint ep) {
        return ep.namespace() != null ? ep.namespace() : ep.host();
    }

    private static String rootPath(Endpoint ep) {
        return ep.apiRoot().equals("/v2") ? "" : ep.apiRoot();
    }

    /** {@code host:port} of the endpoint, with the scheme's default port when its URL names none. */
    static String address(Endpoint ep) {
        String host = ep.host();
        boolean hasPort = host.startsWith("[") ? host.contains("]:") : host.indexOf(':') >= 0;
        return hasPort ? host : host + ":" + ("https".equals(ep.scheme()) ? 443 : 80);
    }

    /** The host of {@code host[:port]} (an IPv6 literal keeps its brackets). */
    static String hostName(String host) {
        if (host.startsWith("[")) {
            return host.substring(0, host.indexOf(']') + 1);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    /** The names OkHttp's host name check lists ({@code subjectAltNames: [a, b]}), if any. */
    private static List<String> altNames(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            Matcher m = ALT_NAMES.matcher(String.valueOf(t.getMessage()));
            if (m.find() && !m.group(1).isBlank()) {
                return Arrays.stream(m.group(1).split(",")).map(String::strip).toList();
            }
        }
        return List.of();
    }
}
