package dev.jpull.internal.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.jpull.BlobResult;
import dev.jpull.Jpull;
import dev.jpull.NoSuchImageException;
import dev.jpull.PullListener;
import dev.jpull.PullResult;
import dev.jpull.VerifyReport;
import dev.jpull.VerifyReport.BadBlob;
import dev.jpull.ProxyConfig;
import dev.jpull.internal.store.OciStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 point 10: a blob already in the store is checked before it counts as cached: its size always, its
 * content with {@code verifyCached} ({@code pull --verify}); {@link Jpull#verify} re-hashes the store and removes
 * what is bad so that the next pull fetches it again.
 */
class StoredBlobIntegrityTest {
    private final WireMockServer registry = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    private final TestImage image = TestImage.create("library/app", 3, 20_000, 11);
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    @TempDir
    Path store;
    @TempDir
    Path outside;

    @BeforeEach
    void start() {
        registry.start();
        image.serveAll(registry, "1.0");
    }

    @AfterEach
    void stop() {
        registry.stop();
    }

    private String ref() {
        return "127.0.0.1:" + registry.port() + "/" + image.repository() + ":1.0";
    }

    private Jpull jpull(boolean verify) {
        return Jpull.builder().store(store).proxies(ProxyConfig.NONE).concurrency(1).verifyCached(verify)
                .listener(new PullListener() {
                    @Override
                    public void warning(String message) {
                        warnings.add(message);
                    }
                }).build();
    }

    private Path blob(String digest) {
        return OciStore.open(store).blobPath(digest);
    }

    private static boolean cached(PullResult r, String digest) {
        return r.blobs().stream().filter(b -> b.digest().equals(digest)).findFirst().map(BlobResult::cached)
                .orElseThrow();
    }

    private int downloads(String digest) {
        return registry.findAll(getRequestedFor(urlPathEqualTo(image.blobPath(digest)))).size();
    }

    @Test
    void truncatedEmptyOrOverlongBlobsAreFetchedAgainOnThePlainPull() throws IOException {
        jpull(false).pull(ref());
        String l0 = image.layerDigests().get(0);
        String l1 = image.layerDigests().get(1);
        Files.write(blob(l0), java.util.Arrays.copyOf(image.layers().get(0), 100));
        Files.write(blob(l1), new byte[0]);
        Files.write(blob(image.configDigest()), (new String(image.config()) + " ").getBytes());

        PullResult again = jpull(false).pull(ref());

        assertThat(cached(again, l0)).isFalse();
        assertThat(cached(again, l1)).isFalse();
        assertThat(cached(again, image.configDigest())).isFalse();
        assertThat(cached(again, image.layerDigests().get(2))).isTrue();
        StoreChecks.assertImageComplete(store, image, ref());
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains(l0).contains("has 100 bytes, not 20000"));
        assertThat(downloads(l0)).isEqualTo(2);
    }

    @Test
    void wrongBytesOfTheRightSizeAreCaughtByPullVerifyOnly() throws IOException {
        jpull(false).pull(ref());
        String l2 = image.layerDigests().get(2);
        byte[] wrong = image.layers().get(2).clone();
        wrong[500] ^= 1;
        Files.write(blob(l2), wrong);

        assertThat(cached(jpull(false).pull(ref()), l2)).as("size is right: trusted without --verify").isTrue();
        PullResult verified = jpull(true).pull(ref());

        assertThat(cached(verified, l2)).isFalse();
        assertThat(cached(verified, image.layerDigests().get(0))).isTrue();
        assertThat(Files.readAllBytes(blob(l2))).isEqualTo(image.layers().get(2));
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains(l2).contains("hashes to"));
    }

    @Test
    void pullVerifyReplacesACorruptStoredManifest() throws IOException {
        jpull(false).pull(ref());
        byte[] wrong = image.manifest().clone();
        wrong[wrong.length - 2] = ' ';
        Files.write(blob(image.manifestDigest()), wrong);

        jpull(true).pull(ref());

        assertThat(Files.readAllBytes(blob(image.manifestDigest()))).isEqualTo(image.manifest());
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains(image.manifestDigest()));
    }

    @Test
    void verifyReportsAndRemovesEveryBadBlobSoThatTheNextPullFetchesIt() throws IOException {
        jpull(false).pull(ref());
        assertThat(jpull(false).verify(List.of())).isEqualTo(new VerifyReport(List.of(), 5, totalSize(),
                List.of()));
        String l0 = image.layerDigests().get(0);
        String l1 = image.layerDigests().get(1);
        byte[] wrong = image.layers().get(0).clone();
        wrong[0] ^= 1;
        Files.write(blob(l0), wrong);
        Files.delete(blob(l1));
        Files.createSymbolicLink(blob(l1), Files.write(outside.resolve("layer"),
                image.layers().get(1)));

        VerifyReport all = jpull(false).verify(List.of());
        VerifyReport named = jpull(false).verify(List.of(ref()));

        assertThat(all.clean()).isFalse();
        assertThat(all.bad()).extracting(BadBlob::digest).contains(l0, l1);
        assertThat(all.bad()).filteredOn(BadBlob::removed).extracting(BadBlob::digest)
                .containsExactlyInAnyOrder(l0, l1);
        assertThat(all.bad()).filteredOn(b -> b.digest().equals(l0)).singleElement()
                .satisfies(b -> assertThat(b.problem()).startsWith("hashes to sha256:"));
        assertThat(Files.exists(blob(l0))).isFalse();
        assertThat(Files.exists(blob(l1), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(outside.resolve("layer")).exists();
        assertThat(named.images()).containsExactly(ref());
        assertThat(named.bad()).containsExactlyInAnyOrder(new BadBlob(l0, "missing (needed by " + ref() + ")", false),
                new BadBlob(l1, "missing (needed by " + ref() + ")", false));

        PullResult again = jpull(false).pull(ref());
        assertThat(cached(again, l0)).isFalse();
        assertThat(cached(again, l1)).isFalse();
        StoreChecks.assertImageComplete(store, image, ref());
        assertThat(jpull(false).verify(List.of(ref())).clean()).isTrue();
    }

    @Test
    void verifyOfAnImageNotInTheStoreIsNoSuchImage() {
        assertThatThrownBy(() -> jpull(false).verify(List.of("docker.io/library/nothing:1")))
                .isInstanceOf(NoSuchImageException.class).hasMessageContaining("docker.io/library/nothing:1");
    }

    private long totalSize() {
        return image.manifest().length + image.config().length
                + image.layers().stream().mapToLong(l -> l.length).sum();
    }
}
