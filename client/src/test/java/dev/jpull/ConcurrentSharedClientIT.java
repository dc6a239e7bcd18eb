package dev.jpull;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpull.internal.oci.Digests;
import dev.jpull.testdata.Image;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.RegistryFixture.Mode;
import dev.jpull.testdata.Skopeo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The thread safety {@link Jpull} promises: ONE instance, many threads pulling the same and different images at
 * once into ONE store (a real registry with Basic auth, so the shared authenticator is exercised too). Every
 * result is right, every blob is downloaded exactly once across all pulls, listener events add up, and the store
 * is consistent: every blob file matches its name, nothing is left in ingest, every reference is tagged once and
 * skopeo reads each image.
 */
class ConcurrentSharedClientIT {
    private static final int THREADS = 12;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void oneInstanceManyThreadsSameAndDifferentImagesOneStore() throws Exception {
        try (RegistryFixture registry = RegistryFixture.start(Mode.BASIC_AUTH)) {
            List<Image> images = new ArrayList<>();
            List<String> refs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Image image = new ImageGenerator(100 + i).singlePlatform(tmp.resolve("layout" + i), "img", 3,
                        400_000);
                Skopeo.copyToRegistry(image.layoutDir(), "img", registry, "ci/app" + i + ":1");
                images.add(image);
                refs.add(registry.hostPort() + "/ci/app" + i + ":1");
            }
            Path yaml = tmp.resolve("registries.yaml");
            Files.writeString(yaml, "configs:\n  \"" + registry.hostPort() + "\":\n    auth:\n      username: "
                    + registry.username() + "\n      password: " + registry.password() + "\n");
            Map<String, AtomicInteger> downloadedEvents = new ConcurrentHashMap<>();
            Set<Long> threadsSeen = ConcurrentHashMap.newKeySet();
            PullListener listener = new PullListener() {
                @Override
                public void blobDone(BlobResult blob) {
                    threadsSeen.add(Thread.currentThread().getId());
                    if (!blob.cached()) {
                        downloadedEvents.computeIfAbsent(blob.digest(), d -> new AtomicInteger()).incrementAndGet();
                    }
                }
            };
            Path store = tmp.resolve("store");
            Jpull jpull = Jpull.builder().config(RegistriesConfig.load(yaml)).store(store).listener(listener)
                    .dockerConfig(false).proxies(ProxyConfig.NONE).concurrency(2).build();

            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<PullResult>> futures = new ArrayList<>();
            try {
                for (int t = 0; t < THREADS; t++) {
                    String ref = refs.get(t % refs.size());
                    futures.add(pool.submit(() -> {
                        go.await();
                        assertThat(jpull.resolve(ref).endpoints()).hasSize(1);
                        return jpull.pull(ref);
                    }));
                }
                go.countDown();
                List<PullResult> results = new ArrayList<>();
                for (Future<PullResult> f : futures) {
                    results.add(f.get(180, TimeUnit.SECONDS));
                }

                Map<String, Integer> downloads = new HashMap<>();
                for (int t = 0; t < THREADS; t++) {
                    Image image = images.get(t % images.size());
                    PullResult r = results.get(t);
                    assertThat(r.reference()).isEqualTo(refs.get(t % refs.size()));
                    assertThat(r.digest()).isEqualTo(image.manifestDigest());
                    assertThat(r.imageId()).isEqualTo(image.configDigest());
                    List<String> expected = new ArrayList<>(List.of(image.configDigest()));
                    expected.addAll(image.layerDigests());
                    assertThat(r.blobs()).extracting(BlobResult::digest).containsExactlyElementsOf(expected);
                    r.blobs().stream().filter(b -> !b.cached())
                            .forEach(b -> downloads.merge(b.digest(), 1, Integer::sum));
                }
                // each distinct blob of the three images was downloaded by exactly one of the twelve pulls
                List<String> allBlobs = images.stream()
                        .flatMap(i -> Stream.concat(Stream.of(i.configDigest()), i.layerDigests().stream()))
                        .toList();
                assertThat(downloads.keySet()).containsExactlyInAnyOrderElementsOf(allBlobs);
                assertThat(downloads.values()).containsOnly(1);
                assertThat(downloadedEvents.keySet()).containsExactlyInAnyOrderElementsOf(allBlobs);
                assertThat(downloadedEvents.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
                assertThat(threadsSeen).hasSizeGreaterThan(1);
            } finally {
                pool.shutdownNow();
            }

            assertStoreConsistent(store, images, refs);
        }
    }

    private static void assertStoreConsistent(Path store, List<Image> images, List<String> refs) throws IOException {
        try (Stream<Path> blobs = Files.list(store.resolve("blobs").resolve("sha256"))) {
            for (Path blob : blobs.toList()) {
                assertThat(Digests.sha256(Files.readAllBytes(blob)))
                        .isEqualTo("sha256:" + blob.getFileName());
            }
        }
        Path ingest = store.resolve("ingest");
        if (Files.isDirectory(ingest)) {
            try (Stream<Path> left = Files.list(ingest)) {
                assertThat(left.filter(p -> p.toString().endsWith(".partial"))).isEmpty();
            }
        }
        JsonNode index = JSON.readTree(store.resolve("index.json").toFile());
        List<String> names = new ArrayList<>();
        index.path("manifests").forEach(m ->
                names.add(m.path("annotations").path("org.opencontainers.image.ref.name").asText()));
        assertThat(names).containsExactlyInAnyOrderElementsOf(refs);
        for (int i = 0; i < images.size(); i++) {
            JsonNode inspected = JSON.readTree(Skopeo.inspectLayout(store, refs.get(i)));
            assertThat(inspected.path("Digest").asText()).isEqualTo(images.get(i).manifestDigest());
            assertThat(inspected.path("Layers")).hasSize(3);
        }
    }
}
