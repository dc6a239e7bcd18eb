package dev.jpull.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.jpull.BlobResult;
import dev.jpull.Jpull;
import dev.jpull.PullResult;
import dev.jpull.internal.store.OciStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two pulls of one image into one store at the same time (two threads of this JVM, or this JVM and another
 * process) both succeed, the store ends up consistent, and every blob is downloaded once: whoever finds a blob's
 * lock taken waits, then finds the blob committed and reports it cached.
 */
class ConcurrentPullTest {
    private static final int LAYER = 1024 * 1024;

    private final TestImage image = TestImage.create("library/shared", 3, LAYER, 9);
    private RangeServer server;
    private Process child;

    @TempDir
    Path tmp;

    @BeforeEach
    void start() throws IOException {
        server = new RangeServer(image, "1.0");
        server.throttle(32 * 1024, 10); // about 3 MB/s per connection
    }

    @AfterEach
    void stop() throws IOException {
        if (child != null) {
            child.destroyForcibly();
        }
        server.close();
    }

    private String ref() {
        return "127.0.0.1:" + server.port() + "/" + image.repository() + ":1.0";
    }

    private long blobBytes() {
        return image.config().length + (long) LAYER * image.layers().size();
    }

    @Test
    void twoThreadsWithTheirOwnJpullBothSucceedAndEachBlobIsDownloadedOnce() throws Exception {
        Path store = tmp.resolve("store");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        List<PullResult> results = new ArrayList<>();
        try {
            List<Future<PullResult>> futures = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return Jpull.builder().store(store).concurrency(2).build().pull(ref());
                }));
            }
            go.countDown();
            for (Future<PullResult> f : futures) {
                results.add(f.get(120, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        for (PullResult r : results) {
            assertThat(r.digest()).isEqualTo(image.manifestDigest());
            assertThat(r.blobs()).hasSize(4);
        }
        // each blob was fetched by exactly one of the two pulls; the other one found it cached
        List<String> all = new ArrayList<>(image.layerDigests());
        all.add(image.configDigest());
        for (String digest : all) {
            assertThat(results.stream().flatMap(r -> r.blobs().stream())
                    .filter(b -> b.digest().equals(digest)).map(BlobResult::cached))
                    .containsExactlyInAnyOrder(true, false);
        }
        assertThat(server.blobBytesSent()).isEqualTo(blobBytes());
        StoreChecks.assertImageComplete(store, image, ref());
    }

    @Test
    void anotherProcessAndThisOneBothSucceedAndEachBlobIsDownloadedOnce() throws Exception {
        Path store = tmp.resolve("store");
        OciStore s = OciStore.open(store);
        Path log = tmp.resolve("child.log");
        child = StoreChecks.startWorker(store, ref(), log);
        // start when the other process is in the middle of the layers, so that this pull meets its locks
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (image.layerDigests().stream().map(s::partialPath).noneMatch(Files::exists)) {
            if (!child.isAlive() || System.nanoTime() > deadline) {
                fail("the other process never started a layer: " + StoreChecks.read(log));
            }
            Thread.sleep(10);
        }

        PullResult mine = Jpull.builder().store(store).concurrency(3).build().pull(ref());

        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(() -> StoreChecks.read(log)).isZero();
        assertThat(StoreChecks.read(log)).contains("pulled " + image.manifestDigest());
        assertThat(mine.digest()).isEqualTo(image.manifestDigest());
        assertThat(mine.blobs()).filteredOn(BlobResult::cached).isNotEmpty();
        assertThat(server.blobBytesSent()).isEqualTo(blobBytes());
        StoreChecks.assertImageComplete(store, image, ref());
    }
}
