package dev.jpull.internal.http;

import dev.jpull.ProxyConfig;
import dev.jpull.ProxyConfig.ProxyUrl;
import java.nio.charset.StandardCharsets;
import okhttp3.Authenticator;
import okhttp3.Credentials;

/** OkHttp's side of {@link ProxyConfig}: answers a proxy's 407 with the Basic credentials of that proxy. */
final class ProxyAuthenticator {
    private ProxyAuthenticator() {
    }

    /**
     * Answers a proxy's 407 (and OkHttp's pre-emptive CONNECT challenge) with Basic credentials of the proxy that
     * asked; gives up after one try.
     */
    static Authenticator of(ProxyConfig proxies) {
        return (route, response) -> {
            if (route == null || response.request().header("Proxy-Authorization") != null) {
                return null;
            }
            for (ProxyUrl p : new ProxyUrl[] {proxies.httpProxy(), proxies.httpsProxy()}) {
                if (p != null && p.username() != null && p.proxy().equals(route.proxy())) {
                    return response.request().newBuilder().header("Proxy-Authorization",
                            Credentials.basic(p.username(), p.password(), StandardCharsets.UTF_8)).build();
                }
            }
            return null;
        };
    }
}
