package dev.jpull.internal.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.Endpoint;
import dev.jpull.ImageReference;
import dev.jpull.Mirror;
import dev.jpull.RegistriesConfig;
import dev.jpull.spi.PlanSource;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpstreamTest {
    private static List<String> plan(InetSocketAddress self, String... mirrors) throws Exception {
        var config = new RegistriesConfig(null, Map.of("registry.example", new Mirror(List.of(mirrors), Map.of())),
                Map.of(), List.of());
        return new Upstream(PlanSource.registries(config, false), self)
                .plan(ImageReference.parse("registry.example/app:1")).endpoints().stream()
                .map(Endpoint::baseUrl).toList();
    }

    @Test
    void theMirrorItselfIsLeftOutUnderAnyLoopbackName() throws Exception {
        InetSocketAddress self = new InetSocketAddress("127.0.0.1", 5050);
        assertThat(plan(self, "http://127.0.0.1:5050", "http://localhost:5050", "http://[::1]:5050",
                "http://127.0.0.1:5051", "https://mirror.example", "http://127.0.0.1:5051"))
                .containsExactly("http://127.0.0.1:5051/v2", "https://mirror.example/v2",
                        "https://registry.example/v2");
    }

    @Test
    void onAnotherAddressOnlyThatAddressIsItself() throws Exception {
        InetSocketAddress self = new InetSocketAddress("10.1.2.3", 5050);
        assertThat(plan(self, "http://10.1.2.3:5050", "http://127.0.0.1:5050"))
                .containsExactly("http://127.0.0.1:5050/v2", "https://registry.example/v2");
    }
}
