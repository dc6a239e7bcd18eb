package dev.jpull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyConfigTest {

    @Test
    void schemeSelectsTheProxyAndNoProxyExempts() {
        ProxyConfig p = ProxyConfig.fromEnvironment(Map.of(
                "HTTP_PROXY", "http://plain.proxy:3128",
                "HTTPS_PROXY", "http://tls.proxy:8080",
                "NO_PROXY", "internal.example,10.0.0.0/8"));
        assertThat(p.proxyFor("http", "reg.example.com", 80)).hasToString("http://plain.proxy:3128");
        assertThat(p.proxyFor("https", "reg.example.com", 443)).hasToString("http://tls.proxy:8080");
        assertThat(p.proxyFor("https", "reg.internal.example", 443)).isNull();
        assertThat(p.proxyFor("https", "10.9.8.7", 5000)).isNull();
        assertThat(p.proxyFor("https", "127.0.0.1", 5000)).isNull();
        assertThat(p.withProxyLoopback(true).proxyFor("https", "127.0.0.1", 5000)).hasToString("http://tls.proxy:8080");
    }

    @Test
    void upperCaseWinsOverLowerCaseAsInGo() {
        ProxyConfig p = ProxyConfig.fromEnvironment(Map.of(
                "HTTPS_PROXY", "http://upper:1", "https_proxy", "http://lower:2",
                "http_proxy", "http://only-lower:3",
                "no_proxy", "skip.example"));
        assertThat(p.httpsProxy()).hasToString("http://upper:1");
        assertThat(p.httpProxy()).hasToString("http://only-lower:3");
        assertThat(p.proxyFor("https", "skip.example", 443)).isNull();
        // an empty upper-case value does not hide the lower-case one
        assertThat(ProxyConfig.fromEnvironment(Map.of("HTTPS_PROXY", "", "https_proxy", "http://lower:2")).httpsProxy())
                .hasToString("http://lower:2");
    }

    @Test
    void cgiEnvironmentIgnoresHttpProxyOnly() {
        ProxyConfig p = ProxyConfig.fromEnvironment(Map.of(
                "REQUEST_METHOD", "GET", "HTTP_PROXY", "http://evil:1", "HTTPS_PROXY", "http://good:2"));
        assertThat(p.proxyFor("http", "reg.example.com", 80)).isNull();
        assertThat(p.proxyFor("https", "reg.example.com", 443)).hasToString("http://good:2");
    }

    @Test
    void valueForms() {
        assertThat(ProxyConfig.parseProxy("proxy.example:3128", "X"))
                .isEqualTo(new ProxyConfig.ProxyUrl(Proxy.Type.HTTP, "proxy.example", 3128, null, null));
        assertThat(ProxyConfig.parseProxy("http://proxy.example", "X").port()).isEqualTo(80);
        assertThat(ProxyConfig.parseProxy("socks5://s.example", "X"))
                .isEqualTo(new ProxyConfig.ProxyUrl(Proxy.Type.SOCKS, "s.example", 1080, null, null));
        assertThat(ProxyConfig.parseProxy("http://[::1]:8080", "X").host()).isEqualTo("::1");
        ProxyConfig.ProxyUrl withUser = ProxyConfig.parseProxy("http://al%40ice:p%3Ass+w@proxy.example:3128/", "X");
        assertThat(withUser.username()).isEqualTo("al@ice");
        assertThat(withUser.password()).isEqualTo("p:ss+w");
        assertThat(withUser.toString()).isEqualTo("http://al@ice:***@proxy.example:3128").doesNotContain("p:ss");
        assertThat(ProxyConfig.fromEnvironment(Map.of("HTTPS_PROXY", "http://u:topsecret@p:1")).toString())
                .doesNotContain("topsecret");
    }

    @Test
    void badValuesAreUsageErrorsNamingTheVariableNotThePassword() {
        assertThatThrownBy(() -> ProxyConfig.fromEnvironment(Map.of("HTTPS_PROXY", "http://u:pa ss@x y:1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("HTTPS_PROXY")
                .hasMessageNotContaining("pa ss");
        assertThatThrownBy(() -> ProxyConfig.fromEnvironment(Map.of("https_proxy", "https://u:hidden@proxy:443")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("https_proxy")
                .hasMessageContaining("not supported").hasMessageNotContaining("hidden");
        assertThatThrownBy(() -> ProxyConfig.fromEnvironment(Map.of("HTTP_PROXY", "http://:8080")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("HTTP_PROXY");
    }

    @Test
    void loopbackEscapeHatchFromEnvironment() {
        assertThat(ProxyConfig.fromEnvironment(Map.of("JPULL_PROXY_LOOPBACK", "1")).proxyLoopback()).isTrue();
        assertThat(ProxyConfig.fromEnvironment(Map.of("JPULL_PROXY_LOOPBACK", "true")).proxyLoopback()).isTrue();
        assertThat(ProxyConfig.fromEnvironment(Map.of("JPULL_PROXY_LOOPBACK", "0")).proxyLoopback()).isFalse();
        assertThat(ProxyConfig.fromEnvironment(Map.of()).proxyLoopback()).isFalse();
    }

    @Test
    void selectorAnswersForUris() {
        ProxyConfig p = ProxyConfig.of(null, "http://proxy.example:3128", "no.example");
        assertThat(p.selector().select(URI.create("https://reg.example.com/v2/")))
                .containsExactly(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("proxy.example", 3128)));
        assertThat(p.selector().select(URI.create("https://no.example/v2/"))).containsExactly(Proxy.NO_PROXY);
        assertThat(p.selector().select(URI.create("http://reg.example.com/v2/"))).containsExactly(Proxy.NO_PROXY);
        assertThat(ProxyConfig.NONE.selector().select(URI.create("https://reg.example.com/"))).isEqualTo(List.of(Proxy.NO_PROXY));
    }
}
