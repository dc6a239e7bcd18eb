package dev.jpull.internal.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointAddressTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "registry.example.com,                     https://registry.example.com/v2",
        "registry.example.com:5000,                https://registry.example.com:5000/v2",
        "https://registry.example.com,             https://registry.example.com/v2",
        "https://registry.example.com/,            https://registry.example.com/v2",
        "https://registry.example.com/v2,          https://registry.example.com/v2",
        "https://registry.example.com:443,         https://registry.example.com:443/v2",
        "http://registry.example.com:5000,         http://registry.example.com:5000/v2",
        "HTTP://registry.example.com:5000,         http://registry.example.com:5000/v2",
        "registry.example.com/prefix/v2,           https://registry.example.com/prefix/v2",
        "https://registry.example.com/foo,         https://registry.example.com/foo",
        "https://registry.example.com/foo/,        https://registry.example.com/foo",
        "https://m.example.com/v2/dockerhub_proxy, https://m.example.com/v2/dockerhub_proxy",
        "https://m.example.com/v2?x=1#f,           https://m.example.com/v2",
        "https://user@m.example.com,               https://m.example.com/v2",
        "localhost:5000,                           http://localhost:5000/v2",
        "localhost,                                https://localhost/v2",
        "localhost:443,                            https://localhost:443/v2",
        "127.0.0.1:5000,                           http://127.0.0.1:5000/v2",
        "127.0.0.1:443,                            https://127.0.0.1:443/v2",
        "127.1.2.3:80,                             http://127.1.2.3:80/v2",
        "[::1]:5000,                               http://[::1]:5000/v2",
        "[::1],                                    https://[::1]/v2",
        "https://localhost:5000,                   https://localhost:5000/v2",
        "10.0.0.1:5000,                            https://10.0.0.1:5000/v2",
        "172.31.6.200:5000,                        https://172.31.6.200:5000/v2",
        "localhost.example.com:5000,               https://localhost.example.com:5000/v2",
        "docker.io,                                https://registry-1.docker.io/v2",
        "index.docker.io,                          https://index.docker.io/v2",
    })
    void normalisesLikeK3s(String endpoint, String url) {
        assertThat(EndpointAddress.parse(endpoint).url()).isEqualTo(url);
    }

    @Test
    void dockerHubHostIsAliasedBothWays() {
        EndpointAddress a = EndpointAddress.parse("docker.io");
        assertThat(a.host()).isEqualTo("registry-1.docker.io");
        assertThat(a.registryName()).isEqualTo("docker.io");
        EndpointAddress b = EndpointAddress.parse("https://registry-1.docker.io/v2");
        assertThat(b.registryName()).isEqualTo("docker.io");
        assertThat(EndpointAddress.parse("index.docker.io").registryName()).isEqualTo("index.docker.io");
        assertThat(EndpointAddress.parse("m.example.com:5000/x").registryName()).isEqualTo("m.example.com:5000");
    }

    @Test
    void rejectsUnusableEndpoints() {
        assertThatThrownBy(() -> EndpointAddress.parse("ftp://m.example.com"))
                .hasMessageContaining("unsupported scheme 'ftp'");
        assertThatThrownBy(() -> EndpointAddress.parse("https:///v2")).hasMessage("no host");
        assertThatThrownBy(() -> EndpointAddress.parse("https://m.example.com:abc"))
                .hasMessageContaining("invalid port");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http://127.0.0.1 :5700        | invalid character ' ' in host name",
        "127.0.0.1:65536               | invalid port 65536 (a port is 1-65535; nothing can connect to it)",
        "https://m.example.com:0       | invalid port 0 (a port is 1-65535; nothing can connect to it)",
        "https://m.example.com:1234567 | invalid port 1234567 (a port is 1-65535; nothing can connect to it)",
        "https://:5000                 | no host",
        "https://u:p@:5000             | no host",
        "https://m\u0001.example.com  | invalid control character U+0001 in URL",
        "https://m{x.example.com       | invalid character '{' in host name",
        "https://m\\x.example.com      | invalid character '\\' in host name",
        "https://m\"x.example.com      | not a usable URL host \"m\"x.example.com\"",
        "https://m.example.com/a%2     | invalid URL escape \"%2\"",
        "https://[::1                  | missing ']' in host",
        "https://[zz::1]:5000          | invalid IPv6 address [zz::1]",
        "https://[::1]x                | invalid port \"x\" after host",
        "https://a..b                  | not a usable URL host \"a..b\"",
    })
    void refusesWhatGoOrTheHttpClientCannotUseWithGosReason(String endpoint, String reason) {
        String raw = endpoint.replace("\\u0001", "\u0001");
        assertThatThrownBy(() -> EndpointAddress.parse(raw)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(reason);
    }

    @Test
    void acceptsWhatGoAcceptsAndTheHttpClientCanRequest() {
        // underscores (Go and containerd accept them in host names), an empty port, leading zeros, IPv6
        assertThat(EndpointAddress.parse("http://my_mirror.local:5000").url())
                .isEqualTo("http://my_mirror.local:5000/v2");
        assertThat(EndpointAddress.parse("https://m.example.com:/v2").host()).isEqualTo("m.example.com:");
        assertThat(EndpointAddress.parse("https://m.example.com:08443").url())
                .isEqualTo("https://m.example.com:08443/v2");
        assertThat(EndpointAddress.parse("https://[2001:db8::1]:5000").url()).isEqualTo("https://[2001:db8::1]:5000/v2");
        assertThat(EndpointAddress.parse("https://u:secret@m.example.com").note()).contains("user info")
                .doesNotContain("secret");
        assertThat(EndpointAddress.parse("https://m.example.com").note()).isNull();
    }

    @Test
    void loopbackDetectionUsesNoDns() {
        assertThat(EndpointAddress.isLocalhost("localhost")).isTrue();
        assertThat(EndpointAddress.isLocalhost("127.255.0.1")).isTrue();
        assertThat(EndpointAddress.isLocalhost("[::1]")).isTrue();
        assertThat(EndpointAddress.isLocalhost("127.0.0.256")).isFalse();
        assertThat(EndpointAddress.isLocalhost("128.0.0.1")).isFalse();
        assertThat(EndpointAddress.isLocalhost("loopback.example.com")).isFalse();
    }
}
