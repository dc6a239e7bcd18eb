package dev.jpull.internal.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.jpull.BlobResult;
import dev.jpull.Jpull;
import dev.jpull.PullListener;
import dev.jpull.PullResult;
import dev.jpull.ProxyConfig;
import dev.jpull.internal.oci.MediaTypes;
import dev.jpull.spi.BlobDescriptor;
import dev.jpull.spi.PulledImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 point 5: {@link dev.jpull.internal.pull.Puller} writes only through the {@link dev.jpull.spi.Destination}
 * seam, so a second implementation (here {@link MemoryDestination}, in memory, no store directory) receives
 * every blob through its writers, resumed writes continue at the writer's offset, every commit names the
 * expected digest and size, and the image is recorded under its reference.
 */
class PullerDestinationTest {
    private static final int SIZE = 50_000;
    private static final int K = 20_000;

    private final WireMockServer registry = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    private final TestImage image = TestImage.create("library/seam", 2, SIZE, 5);
    private final MemoryDestination destination = new MemoryDestination();
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        registry.start();
        image.serveAll(registry, "1.0");
    }

    @AfterEach
    void stop() {
        registry.stop();
    }

    private Jpull jpull() {
        return Jpull.builder().destination(destination).proxies(ProxyConfig.NONE).concurrency(2)
                .listener(new PullListener() {
                    @Override
                    public void warning(String message) {
                        warnings.add(message);
                    }
                }).build();
    }

    private String ref() {
        return "127.0.0.1:" + registry.port() + "/" + image.repository() + ":1.0";
    }

    private List<String> allBlobs() {
        List<String> all = new ArrayList<>(List.of(image.configDigest()));
        all.addAll(image.layerDigests());
        return all;
    }

    private int downloads(String digest) {
        return registry.findAll(getRequestedFor(urlPathEqualTo(image.blobPath(digest)))).size();
    }

    @Test
    void everyBlobAndTheManifestGoThroughAWriterAndTheImageIsRecorded() {
        PullResult result = jpull().pull(ref());

        List<String> content = new ArrayList<>(allBlobs());
        content.add(image.manifestDigest());
        for (String digest : content) {
            List<String> calls = destination.callsFor(digest);
            long size = digest.equals(image.manifestDigest()) ? image.manifest().length
                    : digest.equals(image.configDigest()) ? image.config().length : SIZE;
            assertThat(calls).as(digest).startsWith("open at 0").contains("commit as " + digest + " " + size)
                    .endsWith("close");
            assertThat(calls.stream().filter(c -> c.startsWith("commit"))).as(digest).hasSize(1);
        }
        assertThat(destination.committed.get(image.configDigest())).isEqualTo(image.config());
        for (int i = 0; i < image.layers().size(); i++) {
            assertThat(destination.committed.get(image.layerDigests().get(i))).isEqualTo(image.layers().get(i));
        }
        assertThat(destination.committed.get(image.manifestDigest())).isEqualTo(image.manifest());
        assertThat(destination.ingests).isEmpty();

        PulledImage recorded = destination.images.get(result.reference());
        assertThat(recorded).isNotNull();
        assertThat(recorded.manifest()).isEqualTo(new BlobDescriptor(MediaTypes.OCI_MANIFEST,
                image.manifestDigest(), image.manifest().length));
        assertThat(recorded.platform()).isNull();
        assertThat(recorded.config().digest()).isEqualTo(image.configDigest());
        assertThat(recorded.layers()).extracting(BlobDescriptor::digest).isEqualTo(image.layerDigests());
        assertThat(destination.journal).last().isEqualTo("record " + result.reference());
        // the platform comes from the config read back through the destination
        assertThat(result.platform()).isEqualTo("linux/amd64");
    }

    @Test
    void aWriterHoldingBytesIsResumedAtItsOffsetWithRange() {
        String layer = image.layerDigests().get(1);
        byte[] whole = image.layers().get(1);
        destination.ingests.put(layer, Arrays.copyOf(whole, K)); // left by an earlier attempt or process
        registry.stubFor(get(urlPathEqualTo(image.blobPath(layer))).withHeader("Range", equalTo("bytes=" + K + "-"))
                .willReturn(aResponse().withStatus(206)
                        .withHeader("Content-Range", "bytes " + K + "-" + (SIZE - 1) + "/" + SIZE)
                        .withBody(Arrays.copyOfRange(whole, K, SIZE))));

        PullResult result = jpull().pull(ref());

        assertThat(destination.callsFor(layer)).startsWith("open at " + K);
        assertThat(destination.callsFor(layer).stream().filter(c -> c.startsWith("write")).findFirst())
                .hasValueSatisfying(first -> assertThat(first).startsWith("write at " + K + " +"));
        assertThat(destination.callsFor(layer)).doesNotContain("truncate")
                .contains("commit as " + layer + " " + SIZE);
        registry.verify(1, getRequestedFor(urlPathEqualTo(image.blobPath(layer)))
                .withHeader("Range", equalTo("bytes=" + K + "-")));
        registry.verify(0, getRequestedFor(urlPathEqualTo(image.blobPath(layer))).withHeader("Range", absent()));
        assertThat(destination.committed.get(layer)).isEqualTo(whole);
        assertThat(result.bytesDownloaded()).isEqualTo(image.manifest().length + image.config().length
                + 2L * SIZE - K);
    }

    @Test
    void aWriterHoldingTheWholeBlobIsCommittedWithoutADownload() {
        String layer = image.layerDigests().get(0);
        destination.ingests.put(layer, image.layers().get(0)); // an interrupted run got it all but did not commit

        PullResult result = jpull().pull(ref());

        assertThat(downloads(layer)).isZero();
        assertThat(destination.callsFor(layer)).containsExactly("open at " + SIZE, "commit as " + layer + " " + SIZE,
                "close");
        assertThat(result.blobs()).filteredOn(b -> b.digest().equals(layer)).extracting(BlobResult::cached)
                .containsExactly(true);
    }

    @Test
    void concurrentPullsIntoOneDestinationWriteEachBlobOnce() throws Exception {
        Jpull shared = jpull();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<PullResult>> pulls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                pulls.add(pool.submit(() -> shared.pull(ref())));
            }
            for (Future<PullResult> f : pulls) {
                assertThat(f.get().manifestDigest()).isEqualTo(image.manifestDigest());
            }
        } finally {
            pool.shutdownNow();
        }
        for (String digest : allBlobs()) {
            assertThat(downloads(digest)).as(digest).isOne();
            assertThat(destination.callsFor(digest).stream().filter(c -> c.startsWith("commit"))).as(digest)
                    .hasSize(1);
        }
    }

    @Test
    void aGoodStoredBlobIsCachedWithoutAWriterAndABadOneIsRemovedAndFetchedAgain() {
        String good = image.layerDigests().get(0);
        String bad = image.layerDigests().get(1);
        destination.committed.put(good, image.layers().get(0));
        destination.committed.put(bad, new byte[3]);

        PullResult result = jpull().pull(ref());

        assertThat(destination.callsFor(good)).isEmpty();
        assertThat(downloads(good)).isZero();
        assertThat(result.blobs()).filteredOn(b -> b.digest().equals(good)).extracting(BlobResult::cached)
                .containsExactly(true);
        assertThat(destination.callsFor(bad)).startsWith("open at 0", "remove")
                .contains("commit as " + bad + " " + SIZE);
        assertThat(downloads(bad)).isOne();
        assertThat(destination.committed.get(bad)).isEqualTo(image.layers().get(1));
        assertThat(warnings).containsExactly("blob " + bad + " in the store has 3 bytes, not " + SIZE
                + ": removed, downloading it again");
    }

    /**
     * The pull code reaches content only through the seam: no class of {@code internal/pull}, nor
     * {@link GetBlob} or {@link ResumableBlob}, refers to a type of {@code internal/store} (checked in the
     * compiled classes' constant pools, which name every type a class uses).
     */
    @Test
    void thePullCodeNamesNoStoreType() throws Exception {
        Path classes = Path.of(GetBlob.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Path> pullCode = new ArrayList<>();
        try (Stream<Path> files = Files.list(classes.resolve("dev/jpull/internal/pull"))) {
            files.filter(f -> f.toString().endsWith(".class")).forEach(pullCode::add);
        }
        assertThat(pullCode).extracting(f -> f.getFileName().toString()).contains("Puller.class",
                "BlobDownloader.class");
        pullCode.add(classes.resolve("dev/jpull/internal/registry/GetBlob.class"));
        pullCode.add(classes.resolve("dev/jpull/internal/registry/ResumableBlob.class"));
        for (Path f : pullCode) {
            String constants = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            assertThat(constants).as(f.getFileName().toString()).doesNotContain("dev/jpull/internal/store/")
                    .doesNotContain("dev.jpull.internal.store.");
        }
    }

    @Test
    void aJpullWithOnlyADestinationHasNoStoreToRead() {
        assertThatThrownBy(() -> jpull().images()).isInstanceOf(IllegalStateException.class).hasMessageContaining("no store");
        assertThatThrownBy(() -> Jpull.builder().build()).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("store");
    }
}
