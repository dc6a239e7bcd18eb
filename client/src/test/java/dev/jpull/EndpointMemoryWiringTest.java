package dev.jpull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.jpull.internal.http.MiniImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Jpull.Builder#endpointMemory}: off unless asked for; when on, every pull recalls the file before its first
 * request (its warnings go to the pull's listener) and saves into it when it ends, and
 * {@link Jpull#rememberedEndpoints()} shows what is remembered.
 */
class EndpointMemoryWiringTest {
    @TempDir
    Path tmp;

    private final List<String> warnings = new CopyOnWriteArrayList<>();

    private final PullListener listener = new PullListener() {
        @Override
        public void warning(PullContext pull, String message) {
            warnings.add((pull == null ? "-" : pull.reference()) + ": " + message);
        }

        @Override
        public void warning(String message) {
            warnings.add("-: " + message);
        }
    };

    private Path file() {
        return tmp.resolve("store").resolve("state").resolve("endpoints.json");
    }

    private void seed(String json) throws Exception {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), json);
    }

    private static String entry(String url, String outcome, long at) {
        return "{\"baseUrl\":\"" + url + "\",\"outcome\":\"" + outcome + "\",\"atMillis\":" + at
                + ",\"rttMillis\":41,\"bytesPerSecond\":11900000}";
    }

    @Test
    void rememberedEndpointsShowsTheFileWithoutExpiredEntries() throws Exception {
        long now = System.currentTimeMillis();
        seed("{\"version\":1,\"endpoints\":[" + entry("https://mirror.test/v2", "timeout", now - 120_000) + ","
                + entry("https://old.test/v2", "ok", now - 600_000) + "]}");

        Jpull jpull = Jpull.builder().store(tmp.resolve("store")).endpointMemory(file()).listener(listener).build();

        assertThat(jpull.rememberedEndpoints()).containsOnlyKeys("https://mirror.test/v2");
        RememberedEndpoint r = jpull.rememberedEndpoints().get("https://mirror.test/v2");
        assertThat(r).isEqualTo(new RememberedEndpoint("https://mirror.test/v2", Outcome.TIMEOUT,
                Instant.ofEpochMilli(now - 120_000), 41, 11_900_000));
        assertThat(r.healthy()).isFalse();
        assertThat(Jpull.builder().store(tmp.resolve("store")).endpointMemory(file())
                .endpointMemoryTtl(Duration.ofMinutes(1)).build().rememberedEndpoints()).isEmpty();
        assertThat(warnings).isEmpty();
    }

    @Test
    void theLibraryRemembersNothingUnlessAsked() throws Exception {
        seed("{\"version\":1,\"endpoints\":[" + entry("https://mirror.test/v2", "timeout",
                System.currentTimeMillis()) + "]}");

        assertThat(Jpull.builder().store(tmp.resolve("store")).build().rememberedEndpoints()).isEmpty();
    }

    @Test
    void aPullRecallsAndSavesTheMemoryWithItsWarningsOnThePullsListener() throws Exception {
        WireMockServer registry = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1")
                .dynamicPort());
        registry.start();
        try {
            MiniImage.create("team/app").serve(registry, "1.0", m -> m);
            seed("{\"version\":1,\"endpoints\":[{\"baseUrl\":");
            Jpull jpull = Jpull.builder().store(tmp.resolve("store")).endpointMemory(file()).listener(listener)
                    .proxies(ProxyConfig.NONE).build();

            jpull.pull("127.0.0.1:" + registry.port() + "/team/app:1.0");

            assertThat(warnings).singleElement().asString().startsWith("127.0.0.1:" + registry.port()
                    + "/team/app:1.0: endpoint memory " + file() + " ignored: not valid JSON");
            assertThat(Files.readString(file())).startsWith("{").contains("\"version\" : 1"); // rewritten
        } finally {
            registry.stop();
        }
    }

    @Test
    void theTtlMustBePositive() {
        assertThatThrownBy(() -> Jpull.builder().endpointMemoryTtl(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
