package dev.jpull.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.internal.oci.Descriptor;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrent {@link OciStore#tag} from many threads and from other JVMs never loses an entry. */
class OciStoreConcurrentTagTest {
    private static final int THREADS = 8;
    private static final int TAGS_PER_THREAD = 25;

    @TempDir
    Path tmp;

    @Test
    void manyThreadsWithSeparateStoreInstancesLoseNoEntries() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                String prefix = "thread" + t;
                futures.add(pool.submit(() -> {
                    start.await();
                    tagAll(prefix, TAGS_PER_THREAD);
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

        assertThat(refNames()).hasSize(THREADS * TAGS_PER_THREAD);
        assertThat(IndexFile.inUse()).as("no lock kept once every thread is done").isZero();
        for (int t = 0; t < THREADS; t++) {
            for (int i = 0; i < TAGS_PER_THREAD; i++) {
                assertThat(OciStore.open(tmp).lookup("thread" + t + "-" + i)).isPresent();
            }
        }
    }

    @Test
    void twoOtherProcessesAndThisOneLoseNoEntries() throws Exception {
        OciStore.open(tmp);
        int perProcess = 40;
        List<Process> processes = new ArrayList<>();
        for (String prefix : List.of("procA", "procB")) {
            processes.add(new ProcessBuilder(javaBinary(), "-cp", dev.jpull.TestJvm.classPath(),
                    TagWorker.class.getName(), tmp.toString(), prefix, String.valueOf(perProcess))
                    .redirectErrorStream(true)
                    .redirectOutput(tmp.resolve(prefix + ".log").toFile())
                    .start());
        }
        tagAll("local", perProcess);
        for (Process p : processes) {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(() -> log()).isZero();
        }

        Set<String> names = refNames();
        assertThat(names).hasSize(3 * perProcess);
        for (String prefix : List.of("procA", "procB", "local")) {
            for (int i = 0; i < perProcess; i++) {
                assertThat(names).contains(prefix + "-" + i);
            }
        }
    }

    private void tagAll(String prefix, int count) {
        for (int i = 0; i < count; i++) {
            OciStore store = OciStore.open(tmp);
            Descriptor m = OciStoreTest.storeManifest(store, prefix + "-" + i);
            store.tag(prefix + "-" + i, m);
        }
    }

    private Set<String> refNames() {
        Set<String> names = new HashSet<>();
        for (Descriptor d : OciStore.open(tmp).index().manifests()) {
            assertThat(names.add(d.annotations().get("org.opencontainers.image.ref.name"))).isTrue();
        }
        return names;
    }

    private String log() {
        try {
            return Files.readString(tmp.resolve("procA.log")) + Files.readString(tmp.resolve("procB.log"));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static String javaBinary() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
