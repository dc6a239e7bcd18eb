package dev.jpull.internal.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.jpull.Attempt;
import dev.jpull.FailoverPolicy;
import dev.jpull.Jpull;
import dev.jpull.Outcome;
import dev.jpull.PullFailedException;
import dev.jpull.RegistriesConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Jpull.Builder#failoverPolicy} reaches every request of a pull (WireMock, in the JVM). */
class FailoverPolicyPullTest {
    private final WireMockServer registry = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    private final TestImage image = TestImage.create("library/app", 1, 50_000, 7);

    @TempDir
    Path store;

    @BeforeEach
    void start() {
        registry.start();
        image.serveAll(registry, "1.0");
        String config = image.blobPath(image.configDigest());
        registry.stubFor(get(urlPathEqualTo(config)).inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("ready"));
        registry.stubFor(get(urlPathEqualTo(config)).inScenario("busy").whenScenarioStateIs("ready")
                .willReturn(aResponse().withBody(image.config())));
    }

    @AfterEach
    void stop() {
        registry.stop();
    }

    private Jpull.Builder jpull() {
        return Jpull.builder().config(RegistriesConfig.empty()).store(store).dockerConfig(false);
    }

    private String ref() {
        return "127.0.0.1:" + registry.port() + "/" + image.repository() + ":1.0";
    }

    @Test
    void byDefaultA503OnTheOnlyEndpointIsRetried() {
        var result = jpull().build().pull(ref());

        assertThat(result.attempts()).extracting(Attempt::outcome)
                .containsExactly(Outcome.SERVER_ERROR, Outcome.OK);
    }

    @Test
    void aPolicyWithoutRetryRoundsGivenToTheBuilderFailsAtTheFirst503() {
        Jpull jpull = jpull().failoverPolicy(FailoverPolicy.DEFAULT.withRetryRounds(0)).build();

        assertThatThrownBy(() -> jpull.pull(ref())).isInstanceOfSatisfying(PullFailedException.class,
                e -> assertThat(e.attempts()).extracting(Attempt::outcome).containsExactly(Outcome.SERVER_ERROR));
        registry.verify(1, getRequestedFor(urlPathEqualTo(image.blobPath(image.configDigest()))));
    }
}
