package dev.jpull.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.internal.oci.Digests;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KeyedLocks}: mutual exclusion per key, and nothing kept once a key's lock has no holder and no waiter (a
 * long-lived {@code jpull serve} or {@code jpull daemon} takes one per blob and store it ever pulls).
 */
class KeyedLocksTest {
    @TempDir
    Path tmp;

    @Test
    void aReleasedLockIsForgotten() {
        KeyedLocks<String> locks = new KeyedLocks<>();
        for (int i = 0; i < 10_000; i++) {
            try (KeyedLocks<String>.Held held = locks.lock("blob-" + i)) {
                assertThat(locks.inUse()).isEqualTo(1);
            }
        }
        assertThat(locks.inUse()).isZero();
    }

    @Test
    void aWaiterKeepsTheLockAliveAndGetsItWhenTheHolderReleases() throws Exception {
        KeyedLocks<String> locks = new KeyedLocks<>();
        KeyedLocks<String>.Held first = locks.lock("k");
        CountDownLatch acquired = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            try (KeyedLocks<String>.Held second = locks.lock("k")) {
                acquired.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        awaitBlocked(waiter);
        assertThat(acquired.getCount()).isEqualTo(1);

        first.close(); // the waiter's use keeps the entry: it gets this same lock, not a new one
        assertThat(acquired.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(locks.inUse()).isEqualTo(1);
        assertThat(locks.tryLock("k")).as("held by the waiter").isNull();
        release.countDown();
        waiter.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(locks.inUse()).isZero();
    }

    @Test
    void tryLockNeverWaitsAndAFailedTryKeepsNothing() throws Exception {
        KeyedLocks<String> locks = new KeyedLocks<>();
        try (KeyedLocks<String>.Held held = locks.lock("k")) {
            assertThat(locks.tryLock("k")).as("held by this thread: not reentrant").isNull();
            AtomicReference<Object> other = new AtomicReference<>("unset");
            Thread t = new Thread(() -> other.set(locks.tryLock("k")));
            t.start();
            t.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(other.get()).as("held by another thread").isNull();
            assertThat(locks.inUse()).isEqualTo(1);
        }
        assertThat(locks.inUse()).isZero();
        try (KeyedLocks<String>.Held held = locks.tryLock("k")) {
            assertThat(held).isNotNull();
        }
        assertThat(locks.inUse()).isZero();
    }

    @Test
    void anInterruptedWaiterHoldsNothingAndKeepsNothing() throws Exception {
        KeyedLocks<String> locks = new KeyedLocks<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (KeyedLocks<String>.Held held = locks.lock("k")) {
            Thread waiter = new Thread(() -> {
                try {
                    locks.lockInterruptibly("k").close();
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            waiter.start();
            awaitBlocked(waiter);
            waiter.interrupt();
            waiter.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(failure.get()).isInstanceOf(InterruptedException.class);
            assertThat(locks.inUse()).isEqualTo(1);
        }
        assertThat(locks.inUse()).isZero();
    }

    @Test
    void closingTwiceReleasesOnce() {
        KeyedLocks<String> locks = new KeyedLocks<>();
        KeyedLocks<String>.Held held = locks.lock("k");
        held.close();
        held.close();
        assertThat(locks.inUse()).isZero();
        try (KeyedLocks<String>.Held again = locks.lock("k")) {
            assertThat(locks.inUse()).isEqualTo(1);
        }
    }

    /** Many threads on few keys: every increment under a key's lock survives, so no two held the "same" lock. */
    @Test
    void keysComingAndGoingNeverLetTwoThreadsInAtOnce() throws Exception {
        KeyedLocks<Integer> locks = new KeyedLocks<>();
        int threads = 8;
        int rounds = 20_000;
        long[] counters = new long[3];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        int key = i % counters.length;
                        try (KeyedLocks<Integer>.Held held = locks.lock(key)) {
                            long v = counters[key];
                            Thread.onSpinWait();
                            counters[key] = v + 1;
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        long total = 0;
        for (long c : counters) {
            total += c;
        }
        assertThat(total).isEqualTo((long) threads * rounds);
        assertThat(locks.inUse()).isZero();
    }

    /** The store's own users: blob locks of many blobs in several stores leave nothing behind. */
    @Test
    void blobLocksOfManyStoresAndBlobsLeaveNothingBehind() throws Exception {
        List<OciStore> stores = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            stores.add(OciStore.open(tmp.resolve("store" + s)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        String digest = Digests.sha256(new byte[] {(byte) (i % 50)});
                        try (BlobLock lock = stores.get(i % stores.size()).lockBlob(digest)) {
                            assertThat(lock).isNotNull();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(BlobLock.inUse()).isZero();
    }

    /** Waits (on the thread's state, not a time) until {@code t} is parked in a lock. */
    private static void awaitBlocked(Thread t) throws InterruptedException {
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            assertThat(t.isAlive()).isTrue();
            Thread.sleep(1);
        }
    }
}
