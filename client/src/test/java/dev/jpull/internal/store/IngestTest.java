package dev.jpull.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.IngestUsage;
import dev.jpull.Jpull;
import dev.jpull.PruneReport;
import dev.jpull.ProxyConfig;
import dev.jpull.internal.oci.Digests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code images}' ingest/ summary and {@code jpull prune}: stale partials go, partials in use and young ones stay. */
class IngestTest {
    @TempDir
    Path tmp;

    private Jpull jpull() {
        return Jpull.builder().store(tmp.resolve("store")).proxies(ProxyConfig.NONE).build();
    }

    /** A partial download of {@code bytes} in ingest/, last written {@code age} ago. */
    private Path partial(OciStore store, String content, int bytes, Duration age) throws Exception {
        String digest = Digests.sha256(content.getBytes(StandardCharsets.UTF_8));
        Path p = store.partialPath(digest);
        Files.write(p, new byte[bytes]);
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(age)));
        return p;
    }

    @Test
    void usageCountsPartialsAndTemporariesButNotLockFiles() throws Exception {
        OciStore store = OciStore.open(tmp.resolve("store"));
        assertThat(jpull().ingest()).isEqualTo(IngestUsage.NONE);
        partial(store, "a", 1000, Duration.ZERO);
        partial(store, "b", 234, Duration.ZERO);
        store.lockBlob(Digests.sha256(new byte[] {1})).close(); // leaves an empty lock file

        assertThat(jpull().ingest()).isEqualTo(new IngestUsage(2, 1234));
    }

    @Test
    void pruneRemovesPartialsOlderThanTheLimitAndKeepsYoungerOnes() throws Exception {
        OciStore store = OciStore.open(tmp.resolve("store"));
        Path old = partial(store, "old", 5000, Duration.ofHours(30));
        Path young = partial(store, "young", 700, Duration.ofHours(1));
        Path oldTemp = store.ingestDir().resolve("0123456789ab-xyz.tmp");
        Files.write(oldTemp, new byte[10]);
        Files.setLastModifiedTime(oldTemp, FileTime.from(Instant.now().minus(Duration.ofHours(30))));

        PruneReport r = jpull().prune(Duration.ofHours(24));

        assertThat(r).isEqualTo(new PruneReport(new IngestUsage(2, 5010), new IngestUsage(1, 700)));
        assertThat(old).doesNotExist();
        assertThat(oldTemp).doesNotExist();
        assertThat(young).exists();
        assertThat(jpull().prune(Duration.ZERO).removed()).isEqualTo(new IngestUsage(1, 700));
        assertThat(young).doesNotExist();
    }

    @Test
    void aPartialAPullIsWritingIsKeptWhateverItsAgeAndAFreshTemporaryToo() throws Exception {
        OciStore store = OciStore.open(tmp.resolve("store"));
        Path busy = partial(store, "busy", 300, Duration.ofDays(3));
        Path freshTemp = store.ingestDir().resolve("0123456789ab-abc.tmp");
        Files.write(freshTemp, new byte[5]);
        String digest = Digests.sha256("busy".getBytes(StandardCharsets.UTF_8));
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread puller = new Thread(() -> {
            try (BlobLock lock = store.lockBlob(digest)) {
                locked.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        puller.start();
        try {
            assertThat(locked.await(1, TimeUnit.MINUTES)).isTrue();
            PruneReport r = jpull().prune(Duration.ZERO);
            assertThat(r.removed()).isEqualTo(IngestUsage.NONE);
            assertThat(r.kept()).isEqualTo(new IngestUsage(2, 305));
            assertThat(busy).exists();
        } finally {
            release.countDown();
            puller.join();
        }
        assertThat(jpull().prune(Duration.ZERO).removed()).isEqualTo(new IngestUsage(1, 300));
        assertThat(freshTemp).exists();
    }
}
