package dev.jpull;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.jpull.internal.http.MiniImage;
import dev.jpull.spi.PlanSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Jpull#pull(EndpointPlan)}: the pull runs on the plan it is given, which is not resolved again. */
class JpullTest {
    private final WireMockServer mirror = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    private final MiniImage image = MiniImage.create("team/app");

    @TempDir
    Path tmp;

    @BeforeEach
    void start() {
        mirror.start();
        image.serve(mirror, "1.0", m -> m);
    }

    @AfterEach
    void stop() {
        mirror.stop();
    }

    @Test
    void pullOfAPlanUsesItsEndpointsAndDoesNotResolveAgain() {
        List<ImageReference> resolved = new ArrayList<>();
        PlanSource source = ref -> {
            resolved.add(ref);
            throw new AssertionError("resolved again: " + ref);
        };
        List<String> warnings = new ArrayList<>();
        Jpull jpull = Jpull.builder().store(tmp.resolve("store")).planSource(source).proxies(ProxyConfig.NONE)
                .listener(new PullListener() {
                    @Override
                    public void warning(String message) {
                        warnings.add(message);
                    }
                }).build();
        // the reference names a registry that does not exist: only the plan's endpoint can serve it
        ImageReference ref = ImageReference.parse("registry.invalid/team/app:1.0");
        Endpoint endpoint = new Endpoint("http", "127.0.0.1:" + mirror.port(), "/v2", "team/app", null,
                RegistryConfig.EMPTY, null, false, "registry.invalid");
        ConfigWarning warning = new ConfigWarning(Path.of("r.yaml"), 3, 5, "seen by the caller only");
        EndpointPlan plan = new EndpointPlan(ref, List.of(endpoint), List.of(warning));

        PullResult result = jpull.pull(plan);

        assertThat(resolved).isEmpty();
        assertThat(result.reference()).isEqualTo("registry.invalid/team/app:1.0");
        assertThat(result.manifestDigest()).isEqualTo(image.manifestDigest());
        assertThat(result.endpoint()).isEqualTo(endpoint.baseUrl());
        assertThat(result.blobs()).extracting(BlobResult::endpoint).containsOnly(endpoint.baseUrl());
        assertThat(mirror.findAll(anyRequestedFor(anyUrl()))).isNotEmpty();
        assertThat(warnings).as("the plan's warnings are the caller's to show").isEmpty();
    }

    @Test
    void pullOfAReferenceResolvesOnceAndPassesThePlanWarningsToTheListener() throws Exception {
        Path yaml = Files.writeString(tmp.resolve("registries.yaml"), """
                mirrors:
                  registry.invalid:
                    endpoint:
                      - "http://127.0.0.1:%d"
                unknownkey: 1
                """.formatted(mirror.port()));
        List<ImageReference> resolved = new ArrayList<>();
        PlanSource yamlSource = PlanSource.registriesYaml(yaml, true);
        List<String> warnings = new ArrayList<>();
        Jpull jpull = Jpull.builder().store(tmp.resolve("store")).proxies(ProxyConfig.NONE)
                .planSource(ref -> {
                    resolved.add(ref);
                    return yamlSource.resolve(ref);
                })
                .listener(new PullListener() {
                    @Override
                    public void warning(String message) {
                        warnings.add(message);
                    }
                }).build();

        PullResult result = jpull.pull("registry.invalid/team/app:1.0");

        assertThat(resolved).hasSize(1);
        assertThat(result.endpoint()).isEqualTo("http://127.0.0.1:" + mirror.port() + "/v2");
        assertThat(warnings).singleElement().asString().startsWith(yaml + ":5:1: ").contains("unknownkey");
    }
}
