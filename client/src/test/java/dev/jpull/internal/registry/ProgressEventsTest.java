package dev.jpull.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.BlobResult;
import dev.jpull.Jpull;
import dev.jpull.PullListener;
import dev.jpull.PullResult;
import dev.jpull.Mirror;
import dev.jpull.RegistriesConfig;
import dev.jpull.internal.registry.RangeServer.Fault;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PullListener#blobProgress} events: per blob they only grow, name the endpoint the bytes come from, end
 * with the full size, are throttled (about every 100 ms or 1 MiB), and continue from the resume offset when a
 * body was cut and the next endpoint continues it.
 */
class ProgressEventsTest {
    private static final int LAYER = 3 * 1024 * 1024;

    private final TestImage image = TestImage.create("library/progress", 2, LAYER, 77);
    private RangeServer server;
    private RangeServer mirror;

    @TempDir
    Path store;

    record Event(String digest, long received, long size, String endpoint, long nanos) {
    }

    static final class Recorder implements PullListener {
        final Map<String, List<Event>> events = new ConcurrentHashMap<>();

        @Override
        public void blobProgress(String digest, long received, long size, String endpoint) {
            events.computeIfAbsent(digest, d -> new CopyOnWriteArrayList<>())
                    .add(new Event(digest, received, size, endpoint, System.nanoTime()));
        }
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        if (mirror != null) {
            mirror.close();
        }
    }

    @Test
    void eventsGrowToTheSizeNameTheEndpointAndAreThrottled() throws IOException {
        server = new RangeServer(image, "1.0");
        server.throttle(64 * 1024, 10); // about 6 MB/s: a layer takes about half a second
        Recorder recorder = new Recorder();
        long start = System.nanoTime();

        PullResult result = Jpull.builder().store(store).listener(recorder).concurrency(2).build()
                .pull("127.0.0.1:" + server.port() + "/library/progress:1.0");

        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        String endpoint = "http://127.0.0.1:" + server.port() + "/v2";
        for (BlobResult blob : result.blobs()) {
            List<Event> events = recorder.events.get(blob.digest());
            assertThat(events).as(blob.digest()).isNotEmpty();
            assertThat(events).allSatisfy(e -> {
                assertThat(e.size()).isEqualTo(blob.size());
                assertThat(e.endpoint()).isEqualTo(endpoint);
            });
            assertThat(events.get(events.size() - 1).received()).isEqualTo(blob.size());
            for (int i = 1; i < events.size(); i++) {
                assertThat(events.get(i).received()).isGreaterThan(events.get(i - 1).received());
            }
            // throttled: no more than one per 100 ms or per MiB, plus the final one
            long bound = blob.size() / (1024 * 1024) + elapsedMs / 100 + 1;
            assertThat((long) events.size()).isLessThanOrEqualTo(bound);
        }
        for (String layer : image.layerDigests()) {
            // a throttled layer shows progress before it is done
            assertThat(recorder.events.get(layer).size()).isGreaterThanOrEqualTo(3);
            assertThat(recorder.events.get(layer).get(0).received()).isLessThan(LAYER);
        }
    }

    @Test
    void aResumedBlobContinuesFromItsOffsetOnTheNextEndpoint() throws IOException {
        server = new RangeServer(image, "1.0");
        mirror = new RangeServer(image, "1.0");
        String layer = image.layerDigests().get(0);
        mirror.fault(layer, Fault.closeAfter(LAYER / 2));
        var config = new RegistriesConfig(null, Map.of("127.0.0.1:" + server.port(),
                new Mirror(List.of("http://127.0.0.1:" + mirror.port()), Map.of())), Map.of(), List.of());
        Recorder recorder = new Recorder();

        Jpull.builder().config(config).store(store).listener(recorder).concurrency(1).build()
                .pull("127.0.0.1:" + server.port() + "/library/progress:1.0");

        List<Event> events = recorder.events.get(layer);
        String mirrorUrl = "http://127.0.0.1:" + mirror.port() + "/v2";
        String registryUrl = "http://127.0.0.1:" + server.port() + "/v2";
        List<Event> fromRegistry = events.stream().filter(e -> e.endpoint().equals(registryUrl)).toList();
        assertThat(events.stream().filter(e -> e.endpoint().equals(mirrorUrl)))
                .allSatisfy(e -> assertThat(e.received()).isLessThanOrEqualTo(LAYER / 2));
        assertThat(fromRegistry).isNotEmpty();
        assertThat(fromRegistry.get(0).received()).isGreaterThan(LAYER / 2);
        assertThat(fromRegistry.get(fromRegistry.size() - 1).received()).isEqualTo(LAYER);
    }
}
