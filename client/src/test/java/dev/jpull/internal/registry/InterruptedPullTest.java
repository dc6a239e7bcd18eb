package dev.jpull.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.jpull.Jpull;
import dev.jpull.PullResult;
import dev.jpull.internal.store.OciStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pull killed with {@code kill -9} half way leaves no unverified blob under {@code blobs/}, and the next pull
 * continues every partial blob with a {@code Range} request instead of downloading it again.
 */
class InterruptedPullTest {
    private static final int LAYER = 3 * 1024 * 1024;
    private static final long MIN_PARTIAL = 256 * 1024;

    private final TestImage image = TestImage.create("library/big", 3, LAYER, 5);
    private RangeServer server;
    private Process child;

    @TempDir
    Path tmp;

    @BeforeEach
    void start() throws IOException {
        server = new RangeServer(image, "1.0");
    }

    @AfterEach
    void stop() throws IOException {
        if (child != null) {
            child.destroyForcibly();
        }
        server.close();
    }

    @Test
    void aPullKilledHalfWayIsContinuedFromItsPartials() throws Exception {
        Path store = tmp.resolve("store");
        OciStore s = OciStore.open(store);
        String ref = "127.0.0.1:" + server.port() + "/" + image.repository() + ":1.0";
        server.throttle(16 * 1024, 20); // about 800 KB/s per connection: several seconds per layer
        Path log = tmp.resolve("child.log");
        child = StoreChecks.startWorker(store, ref, log);

        List<Path> partials = image.layerDigests().stream().map(s::partialPath).toList();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!partials.stream().allMatch(p -> sizeOf(p) >= MIN_PARTIAL)) {
            if (!child.isAlive()) {
                fail("the child exited before it was killed: " + StoreChecks.read(log));
            }
            if (System.nanoTime() > deadline) {
                fail("no partials after 60 s: " + StoreChecks.read(log));
            }
            Thread.sleep(20);
        }
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

        // nothing unverified was committed, and no layer made it (they were far from complete)
        StoreChecks.assertEveryBlobMatchesItsName(store);
        Map<String, Long> left = new LinkedHashMap<>();
        for (int i = 0; i < partials.size(); i++) {
            String digest = image.layerDigests().get(i);
            assertThat(s.hasBlob(digest)).isFalse();
            left.put(digest, sizeOf(partials.get(i)));
        }
        assertThat(left.values()).allSatisfy(k -> assertThat(k).isBetween(MIN_PARTIAL, LAYER - 1L));
        boolean configDone = s.hasBlob(image.configDigest());
        int requestsBefore = server.requests().size();
        server.throttle(64 * 1024, 0);

        PullResult result = Jpull.builder().store(store).concurrency(3).build().pull(ref);

        assertThat(result.digest()).isEqualTo(image.manifestDigest());
        List<RangeServer.BlobRequest> second = new ArrayList<>(server.requests().subList(requestsBefore,
                server.requests().size()));
        for (var e : left.entrySet()) {
            assertThat(second).filteredOn(r -> r.digest().equals(e.getKey()))
                    .extracting(RangeServer.BlobRequest::range).containsExactly("bytes=" + e.getValue() + "-");
        }
        long layersLeft = left.values().stream().mapToLong(k -> LAYER - k).sum();
        long expected = image.manifest().length + layersLeft + (configDone ? 0 : image.config().length);
        assertThat(result.bytesDownloaded()).isEqualTo(expected).isLessThan(3L * LAYER);
        StoreChecks.assertImageComplete(store, image, ref);
    }

    private static long sizeOf(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
