package dev.jpull.internal.registry;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.jpull.Jpull;
import dev.jpull.Mirror;
import dev.jpull.RegistriesConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Two WireMock registries, a mirror in front of the registry, for {@link ManifestFormatsTest} and its IT. */
abstract class ManifestFormatsFixture {
    final WireMockServer mirror = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    final WireMockServer registry = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());

    @TempDir
    Path store;

    @BeforeEach
    void start() {
        mirror.start();
        registry.start();
    }

    @AfterEach
    void stop() {
        mirror.stop();
        registry.stop();
    }

    Jpull jpull() {
        return jpull("linux/amd64");
    }

    Jpull jpull(String platform) {
        var config = new RegistriesConfig(null, Map.of(registryHost(), new Mirror(List.of(mirrorUrl()), Map.of())),
                Map.of(), List.of());
        return Jpull.builder().config(config).store(store).platform(platform).concurrency(1).build();
    }

    String registryHost() {
        return "127.0.0.1:" + registry.port();
    }

    String registryUrl() {
        return "http://" + registryHost() + "/v2";
    }

    String mirrorUrl() {
        return "http://127.0.0.1:" + mirror.port();
    }
}
