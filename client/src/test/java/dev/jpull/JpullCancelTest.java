package dev.jpull;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Jpull#cancel}: a pull blocked on a request that would not be answered for many minutes ends as soon as
 * another thread cancels its client, and the client fails every later request.
 */
class JpullCancelTest {
    @TempDir
    Path tmp;

    private WireMockServer registry;

    @BeforeEach
    void start() {
        registry = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        registry.start();
        // headers after 10 minutes, within the client's header timeout: only a cancel ends the wait
        registry.stubFor(get(urlMatching("/v2/team/app/manifests/.*")).willReturn(aResponse().withStatus(200)
                .withFixedDelay(600_000)));
    }

    @AfterEach
    void stop() {
        registry.stop();
    }

    @Test
    void aPullInProgressEndsWhenItsClientIsCancelled() throws Exception {
        Duration long_ = Duration.ofMinutes(20);
        Jpull jpull = Jpull.builder().store(tmp.resolve("store")).proxies(ProxyConfig.NONE)
                .timeouts(new Timeouts(long_, long_, long_, long_)).build();
        String image = "127.0.0.1:" + registry.port() + "/team/app:1.0";
        CompletableFuture<PullResult> pull = CompletableFuture.supplyAsync(() -> jpull.pull(image));
        // the request is received (WireMock journals it before the delay): the pull is blocked on its headers
        while (registry.getAllServeEvents().isEmpty()) {
            assertThat(pull).isNotDone();
            Thread.sleep(20);
        }

        jpull.cancel();

        assertThatThrownBy(() -> pull.get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(JpullException.class);
        assertThatThrownBy(() -> jpull.pull(image)).isInstanceOf(JpullException.class);
        assertThat(registry.getAllServeEvents()).hasSize(1); // the later pull sent nothing
    }
}
