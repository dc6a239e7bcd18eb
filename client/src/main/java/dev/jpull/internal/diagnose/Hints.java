package dev.jpull.internal.diagnose;

import dev.jpull.EndpointDiagnosis;
import dev.jpull.ManifestResult;
import dev.jpull.PingResult;
import dev.jpull.TlsResult;
import dev.jpull.Verdict;

import dev.jpull.AuthConfig;
import dev.jpull.RegistriesConfig;
import dev.jpull.RegistryConfig;
import dev.jpull.ImageReference;
import dev.jpull.Endpoint;
import dev.jpull.internal.registry.Advice;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Recognises the common configuration mistakes in a probe's findings and says what to change: wrong scheme,
 * missing {@code /v2}, a path used as API root, an unknown CA, credentials under the mirror name instead of the
 * endpoint host, an unknown tag or repository.
 */
final class Hints {
    private Hints() {
    }

    static List<String> of(EndpointDiagnosis d, ImageReference ref, RegistriesConfig config) {
        List<String> out = new ArrayList<>();
        Endpoint ep = d.endpoint();
        scheme(d, ep, ref, out);
        paths(d, ep, out);
        tls(d, ep, out);
        if (d.verdict() == Verdict.UNAUTHORIZED) {
            credentials(ep, ref, config, out);
        }
        if (d.verdict() == Verdict.NOT_FOUND && d.manifest() != null) {
            notFound(d.manifest(), ep, ref, out);
        }
        return out;
    }

    private static void scheme(EndpointDiagnosis d, Endpoint ep, ImageReference ref, List<String> out) {
        TlsResult tls = d.tls();
        if (tls == null) {
            return;
        }
        if ("https".equals(ep.scheme()) && TlsResult.PLAINTEXT.equals(tls.failure())) {
            out.add(Advice.scheme(ep, ref.registry(), true));
        } else if ("http".equals(ep.scheme()) && tls.speaksTls()) {
            out.add(Advice.scheme(ep, ref.registry(), false));
        }
    }

    private static void paths(EndpointDiagnosis d, Endpoint ep, List<String> out) {
        PingResult ping = d.ping();
        if (ping == null || ping.registryRoot() == null || ep.apiRoot().equals("/v2")) {
            return;
        }
        String origin = ep.scheme() + "://" + ep.host();
        if (ping.registryRoot().equals(origin + ep.apiRoot() + "/v2/")) {
            out.add("missing /v2: the endpoint path " + ep.apiRoot() + " is used as the API root exactly as "
                    + "written (it replaces /v2), but the registry answers at " + ep.apiRoot() + "/v2/; write the "
                    + "endpoint as \"" + origin + ep.apiRoot() + "/v2\"");
        } else if (ping.registryRoot().equals(origin + "/v2/")) {
            out.add("path used as API root: the endpoint path " + ep.apiRoot() + " replaces /v2 (an endpoint "
                    + "path is the whole API root), but the registry answers at /v2/; write the endpoint as \""
                    + origin + "\"");
        }
    }

    private static void tls(EndpointDiagnosis d, Endpoint ep, List<String> out) {
        TlsResult tls = d.tls();
        if (tls == null || tls.failure() == null || !"https".equals(ep.scheme())) {
            return;
        }
        String hint = Advice.tls(tls.failure(), ep, tls.issuer(), tls.names(), tls.notAfter());
        if (hint != null) {
            out.add(hint);
        }
    }

    private static void credentials(Endpoint ep, ImageReference ref, RegistriesConfig config, List<String> out) {
        if (hasAuth(ep.config())) {
            out.add("the registry rejected the credentials of configs.\"" + configsKey(ep) + "\".auth; check them");
            return;
        }
        Set<String> candidates = new LinkedHashSet<>();
        if (ep.mirrorName() != null) {
            candidates.add(ep.mirrorName());
        }
        candidates.add(ref.registry());
        for (String name : candidates) {
            if (name.equals("*") || name.equals(ep.host()) || name.equals(ep.configKey())) {
                continue;
            }
            if (hasAuth(config.configs().get(name))) {
                out.add("credentials under the wrong name: configs.\"" + name + "\" has credentials, but they are "
                        + "looked up by endpoint host; move them to configs.\"" + ep.host() + "\"");
                return;
            }
        }
        String wildcard = hasAuth(config.configs().get("*")) ? " (configs.\"*\".auth is never used: containerd "
                + "looks credentials up by exact host)" : "";
        out.add(ep.host() + " asks for credentials and none are configured" + wildcard + "; add configs.\""
                + ep.host() + "\".auth");
    }

    private static void notFound(ManifestResult m, Endpoint ep, ImageReference ref, List<String> out) {
        String rewritten = ep.repository().equals(ref.repository()) ? ""
                : " (rewritten from " + ref.repository() + " by mirrors.\"" + ep.mirrorName() + "\".rewrite)";
        String what = ref.digest() != null ? "manifest " + ref.digest() : "tag " + ref.tag();
        if ("NAME_UNKNOWN".equals(m.errorCode())) {
            out.add("repository unknown: this endpoint has no repository " + ep.repository() + rewritten);
        } else if ("MANIFEST_UNKNOWN".equals(m.errorCode())) {
            out.add("tag unknown: repository " + ep.repository() + rewritten + " has no " + what
                    + " on this endpoint");
        }
    }

    private static boolean hasAuth(RegistryConfig c) {
        AuthConfig a = c == null ? null : c.auth();
        return a != null && a.isSet();
    }

    /** The {@code configs} key to name in advice: the one in use, else the endpoint host. */
    private static String configsKey(Endpoint ep) {
        return Advice.configsKey(ep);
    }
}
