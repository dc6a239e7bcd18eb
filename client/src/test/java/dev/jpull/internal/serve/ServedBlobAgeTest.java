package dev.jpull.internal.serve;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.jpull.Jpull;
import dev.jpull.LocalMirror;
import dev.jpull.RegistriesConfig;
import dev.jpull.internal.registry.TestImage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A blob jpull serve answers from its store is marked as used (its modification time set to now, at most once a
 * day), so that {@code jpull prune --blobs}, which goes by that time, keeps what clients still ask for.
 */
class ServedBlobAgeTest {
    private final TestImage image = TestImage.create("library/app", 1, 20_000, 13);
    private final WireMockServer registry = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    private final okhttp3.OkHttpClient http = new okhttp3.OkHttpClient.Builder().build();
    private LocalMirror mirror;

    @TempDir
    Path store;

    @AfterEach
    void stop() {
        if (mirror != null) {
            mirror.close();
        }
        registry.stop();
    }

    private void get(String path) throws IOException {
        try (okhttp3.Response r = http.newCall(new okhttp3.Request.Builder().url("http://127.0.0.1:"
                + mirror.address().getPort() + path + "?ns=127.0.0.1%3A" + registry.port()).build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
            r.body().bytes();
        }
    }

    @Test
    void aBlobServedFromTheStoreIsMarkedUsedAndSurvivesPruningByAge() throws Exception {
        registry.start();
        image.serveAll(registry, "1.0");
        Jpull jpull = Jpull.builder().config(RegistriesConfig.empty()).store(store).dockerConfig(false).build();
        mirror = LocalMirror.builder(jpull).listen(new InetSocketAddress("127.0.0.1", 0)).start();
        String layer = image.layerDigests().get(0);
        get(image.manifestPath("1.0")); // as containerd: the manifest first (it tells the blobs' sizes)
        get(image.blobPath(layer)); // downloaded, stored
        Path file = store.resolve("blobs/sha256/" + layer.substring(7));
        assertThat(file).exists();

        Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
        Files.setLastModifiedTime(file, FileTime.from(hourAgo));
        get(image.blobPath(layer));
        assertThat(Files.getLastModifiedTime(file).toInstant()).as("recent enough: left as it is")
                .isEqualTo(FileTime.from(hourAgo).toInstant());

        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofDays(3))));
        Instant before = Instant.now().minus(Duration.ofSeconds(5));
        get(image.blobPath(layer));
        assertThat(Files.getLastModifiedTime(file).toInstant()).as("marked used").isAfter(before);

        assertThat(jpull.pruneBlobs(Duration.ofDays(2)).removed()).as("no image uses it, but a client did").isZero();
        assertThat(file).exists();
    }
}
