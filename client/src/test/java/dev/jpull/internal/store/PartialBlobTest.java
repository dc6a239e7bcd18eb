package dev.jpull.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpull.internal.oci.Digests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PartialBlob} survives being closed and reopened, and {@link BlobLock} excludes other threads. */
class PartialBlobTest {
    private final byte[] blob = new byte[100_000];
    private final String digest;

    @TempDir
    Path tmp;

    PartialBlobTest() {
        new Random(3).nextBytes(blob);
        digest = Digests.sha256(blob);
    }

    @Test
    void aReopenedPartialContinuesFromItsLengthWithTheSameHash() throws Exception {
        OciStore store = OciStore.open(tmp);
        try (PartialBlob p = store.openPartial(digest, blob.length)) {
            assertThat(p.path()).isEqualTo(tmp.resolve("ingest/sha256-" + Digests.hex(digest) + ".partial"));
            assertThat(p.offset()).isZero();
            p.append(blob, 0, 30_000);
        }
        try (PartialBlob p = store.openPartial(digest, blob.length)) {
            assertThat(p.offset()).isEqualTo(30_000);
            assertThat(p.actualDigest()).isEqualTo(Digests.sha256(Arrays.copyOf(blob, 30_000)));
            assertThat(p.verified()).isFalse();
            p.append(blob, 30_000, blob.length - 30_000);
            assertThat(p.verified()).isTrue();
            try (BlobLock lock = store.lockBlob(digest)) {
                store.commit(p, lock);
            }
        }
        assertThat(store.readBlob(digest)).isEqualTo(blob);
        try (var files = Files.list(tmp.resolve("ingest"))) {
            assertThat(files).isEmpty(); // neither the partial nor the lock file is left
        }
    }

    @Test
    void aPartialLongerThanTheBlobIsEmptied() throws Exception {
        OciStore store = OciStore.open(tmp);
        Files.write(store.partialPath(digest), Arrays.copyOf(blob, blob.length + 1));
        try (PartialBlob p = store.openPartial(digest, blob.length)) {
            assertThat(p.offset()).isZero();
        }
        assertThat(store.partialPath(digest)).isEmptyFile();
    }

    @Test
    void appendingPastTheSizeWritesNothingAndResetStartsOver() throws Exception {
        OciStore store = OciStore.open(tmp);
        try (PartialBlob p = store.openPartial(digest, blob.length)) {
            p.append(blob, 0, blob.length - 10);
            assertThatThrownBy(() -> p.append(blob, 0, 11)).isInstanceOf(IllegalStateException.class);
            assertThat(p.offset()).isEqualTo(blob.length - 10);
            p.reset();
            assertThat(p.offset()).isZero();
            assertThat(p.actualDigest()).isEqualTo(Digests.sha256(new byte[0]));
        }
        assertThat(store.partialPath(digest)).isEmptyFile();
    }

    @Test
    void anUnverifiedPartialIsNeverCommitted() throws Exception {
        OciStore store = OciStore.open(tmp);
        byte[] wrong = blob.clone();
        wrong[5] ^= 1;
        try (BlobLock lock = store.lockBlob(digest); PartialBlob p = store.openPartial(digest, blob.length)) {
            p.append(wrong, 0, wrong.length);
            assertThatThrownBy(() -> store.commit(p, lock)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(Digests.sha256(wrong));
        }
        assertThat(store.hasBlob(digest)).isFalse();
    }

    @Test
    void theBlobLockAdmitsOneThreadAtATimeAcrossStoreInstances() throws Exception {
        int threads = 6;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        AtomicInteger entries = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    OciStore store = OciStore.open(tmp);
                    for (int i = 0; i < 50; i++) {
                        try (BlobLock ignored = store.lockBlob(digest)) {
                            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            entries.incrementAndGet();
                            Thread.yield();
                            inside.decrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(entries.get()).isEqualTo(threads * 50);
        assertThat(maxInside.get()).isEqualTo(1);
    }
}
