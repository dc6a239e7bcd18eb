package dev.jpull.internal.serve;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.jpull.Jpull;
import dev.jpull.LocalMirror;
import dev.jpull.MirrorRequest;
import dev.jpull.PullListener;
import dev.jpull.RegistriesConfig;
import dev.jpull.internal.registry.TestImage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jpull serve answers a tag no upstream endpoint can answer for with what the tag last resolved to through it, as
 * distribution's pull-through cache does; never a tag upstream says does not exist, never a manifest the store no
 * longer holds intact.
 */
class StaleTagsTest {
    private final TestImage image = TestImage.create("library/app", 1, 1_000, 11);
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<MirrorRequest> log = new CopyOnWriteArrayList<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final okhttp3.OkHttpClient http = new okhttp3.OkHttpClient.Builder().retryOnConnectionFailure(false)
            .build();
    private final WireMockServer registry = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());

    /** The registry's port, kept: WireMock forgets it when stopped. */
    private int port;

    @TempDir
    Path store;

    private void startRegistry() {
        registry.start();
        port = registry.port();
        image.serveAll(registry, "1.0");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        registry.stop();
    }

    private LocalMirror mirror(boolean staleTags) {
        Jpull jpull = Jpull.builder().config(RegistriesConfig.empty()).store(store).dockerConfig(false)
                .listener(new PullListener() {
                    @Override
                    public void warning(String message) {
                        warnings.add(message);
                    }
                }).build();
        LocalMirror m = LocalMirror.builder(jpull).listen(new InetSocketAddress("127.0.0.1", 0))
                .staleTags(staleTags).accessLog(log::add).start();
        closing.add(m);
        return m;
    }

    private okhttp3.Response request(LocalMirror m, String method, String path) throws IOException {
        return http.newCall(new okhttp3.Request.Builder().url("http://127.0.0.1:" + m.address().getPort() + path
                + "?ns=127.0.0.1%3A" + port).method(method, null).build()).execute();
    }

    private byte[] tagGet(LocalMirror m, int expectedStatus) throws IOException {
        try (okhttp3.Response r = request(m, "GET", image.manifestPath("1.0"))) {
            assertThat(r.code()).isEqualTo(expectedStatus);
            if (expectedStatus == 200) {
                assertThat(r.header("Docker-Content-Digest")).isEqualTo(image.manifestDigest());
            }
            return r.body().bytes();
        }
    }

    private List<MirrorRequest> logged(java.util.function.Predicate<MirrorRequest> which, int count)
            throws InterruptedException {
        return AccessRecords.await(log, which, count);
    }

    @Test
    void aTagNoUpstreamCanAnswerForIsAnsweredWithWhatItLastResolvedTo() throws Exception {
        startRegistry();
        LocalMirror m = mirror(true);
        assertThat(tagGet(m, 200)).isEqualTo(image.manifest());

        registry.stop(); // every endpoint unavailable (the plan has only the registry)
        assertThat(tagGet(m, 200)).isEqualTo(image.manifest());
        try (okhttp3.Response head = request(m, "HEAD", image.manifestPath("1.0"))) {
            assertThat(head.code()).isEqualTo(200);
            assertThat(head.header("Docker-Content-Digest")).isEqualTo(image.manifestDigest());
        }
        assertThat(logged(r -> r.path().equals(image.manifestPath("1.0")), 3)).extracting(MirrorRequest::source)
                .containsExactly("http://127.0.0.1:" + port + "/v2", "store-stale", "store-stale");
        try (okhttp3.Response metrics = http.newCall(new okhttp3.Request.Builder()
                .url("http://127.0.0.1:" + m.address().getPort() + "/metrics").build()).execute()) {
            assertThat(metrics.body().string()).contains("\njpull_serve_stale_tags_total 2\n");
        }
        assertThat(warnings).isEmpty();
    }

    @Test
    void aTagUpstreamSaysDoesNotExistIsPassedOnNotAnsweredFromTheStore() throws Exception {
        startRegistry();
        LocalMirror m = mirror(true);
        tagGet(m, 200);

        registry.stubFor(get(urlPathEqualTo(image.manifestPath("1.0"))).atPriority(1)
                .willReturn(aResponse().withStatus(404).withBody("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}")));
        tagGet(m, 404);
    }

    @Test
    void aRestartedMirrorRemembersTheTagsAndWithoutStaleTagsAnswers503() throws Exception {
        startRegistry();
        LocalMirror first = mirror(true);
        tagGet(first, 200);
        first.close();
        registry.stop();

        assertThat(tagGet(mirror(true), 200)).as("from STORE/state/served-tags.json").isEqualTo(image.manifest());
        tagGet(mirror(false), 503);
    }

    @Test
    void aRememberedTagWhoseManifestIsGoneFromTheStoreIs503() throws Exception {
        startRegistry();
        LocalMirror m = mirror(true);
        tagGet(m, 200);
        registry.stop();
        Files.delete(store.resolve("blobs/sha256/" + image.manifestDigest().substring(7)));

        tagGet(m, 503);
    }

    @Test
    void aCorruptTagFileIsIgnoredWithOneWarningAndReplaced() throws Exception {
        Files.createDirectories(store.resolve("state"));
        Path file = store.resolve("state/served-tags.json");
        Files.writeString(file, "{\"version\":1,\"tags\":[not json", StandardCharsets.UTF_8);
        startRegistry();
        LocalMirror m = mirror(true);
        assertThat(warnings).singleElement().asString().contains("served-tags.json").contains("ignored");

        tagGet(m, 200);
        assertThat(Files.readString(file)).contains(image.manifestDigest());
        registry.stop();
        assertThat(tagGet(m, 200)).isEqualTo(image.manifest());
    }
}
