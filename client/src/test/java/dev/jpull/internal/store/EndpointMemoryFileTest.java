package dev.jpull.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.Outcome;
import dev.jpull.TestJvm;
import dev.jpull.internal.registry.EndpointStats;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The endpoint memory file: merge, expiry, concurrent writers, and the file as hostile input. */
class EndpointMemoryFileTest {
    private static final long T0 = Instant.parse("2026-12-02T01:00:00Z").toEpochMilli();

    @TempDir
    Path tmp;

    private final AtomicLong now = new AtomicLong(T0);
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    /** A clock the test moves. */
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };

    private Path file() {
        return EndpointMemoryFile.inStore(tmp.resolve("store"));
    }

    private EndpointMemoryFile memory() {
        return memory(Duration.ofMinutes(5));
    }

    private EndpointMemoryFile memory(Duration ttl) {
        return new EndpointMemoryFile(file(), ttl, clock, warnings::add);
    }

    private static EndpointStats stats(String host, Outcome outcome, long at) {
        return new EndpointStats("https://" + host + "/v2", outcome, at, 41, 11_900_000);
    }

    @Test
    void remembersWhatAPullSawForTheNextPull() throws Exception {
        EndpointStats mirror = stats("mirror.test", Outcome.TIMEOUT, T0 - 1000);
        EndpointStats registry = new EndpointStats("http://127.0.0.1:5000/v2", Outcome.OK, T0, 3, -1);

        memory().remember(List.of(mirror, registry));

        assertThat(memory().recall()).containsOnly(Map.entry(mirror.baseUrl(), mirror),
                Map.entry(registry.baseUrl(), registry));
        assertThat(warnings).isEmpty();
        Path dir = file().getParent();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(Files.readString(file())).contains("\"outcome\" : \"timeout\"", "\"atMillis\" : " + (T0 - 1000));
    }

    @Test
    void theNewerEntryPerEndpointWinsWhateverTheOrderOfThePulls() {
        List<EndpointStats> all = List.of(stats("a.test", Outcome.OK, T0 - 3000), stats("a.test", Outcome.TIMEOUT,
                T0 - 1000), stats("a.test", Outcome.REFUSED, T0 - 1000), stats("b.test", Outcome.OK, T0 - 2000),
                stats("b.test", Outcome.SERVER_ERROR, T0 - 5000), stats("c.test", Outcome.OK, T0));
        Map<String, EndpointStats> first = null;
        List<EndpointStats> order = new ArrayList<>(all);
        for (int run = 0; run < 30; run++) {
            Collections.shuffle(order, new java.util.Random(run));
            Path f = tmp.resolve("run" + run).resolve("endpoints.json");
            for (EndpointStats s : order) { // one pull each
                new EndpointMemoryFile(f, Duration.ofMinutes(5), clock, warnings::add).remember(List.of(s));
            }
            Map<String, EndpointStats> got = new EndpointMemoryFile(f, Duration.ofMinutes(5), clock, warnings::add)
                    .recall();
            if (first == null) {
                first = got;
            }
            assertThat(got).as("order " + order).isEqualTo(first);
        }
        assertThat(first.get("https://a.test/v2").atMillis()).isEqualTo(T0 - 1000);
        assertThat(first.get("https://b.test/v2").outcome()).isEqualTo(Outcome.OK);
        assertThat(first).hasSize(3);
        assertThat(warnings).isEmpty();
    }

    @Test
    void entriesExpireAfterTheTtlAndAreDroppedFromTheFileAtTheNextWrite() throws Exception {
        memory().remember(List.of(stats("old.test", Outcome.TIMEOUT, T0)));
        now.set(T0 + 60_000);
        memory().remember(List.of(stats("new.test", Outcome.OK, T0 + 60_000)));

        now.set(T0 + Duration.ofMinutes(5).toMillis());
        assertThat(memory().recall()).containsOnlyKeys("https://old.test/v2", "https://new.test/v2");
        now.set(T0 + Duration.ofMinutes(5).toMillis() + 1);
        assertThat(memory().recall()).containsOnlyKeys("https://new.test/v2");
        assertThat(Files.readString(file())).contains("old.test"); // dropped on read ...

        memory().remember(List.of());

        assertThat(Files.readString(file())).doesNotContain("old.test").contains("new.test"); // ... and on write
        assertThat(memory(Duration.ofSeconds(30)).recall()).isEmpty(); // the ttl is the reader's
        assertThat(warnings).isEmpty();
    }

    @Test
    void anEntryFromTheFutureIsNotUsed() throws Exception {
        write("{\"version\":1,\"endpoints\":[" + entry("https://future.test/v2", "ok", T0 + 3_600_000, 1, 1) + ","
                + entry("https://skew.test/v2", "ok", T0 + 5_000, 1, 1) + "]}");

        assertThat(memory().recall()).containsOnlyKeys("https://skew.test/v2");
        memory().remember(List.of(stats("future2.test", Outcome.OK, T0 + 3_600_000)));
        assertThat(Files.readString(file())).doesNotContain("future");
    }

    @Test
    void concurrentPullsOfManyThreadsLoseNoEntry() throws Exception {
        int threads = 8;
        int each = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        memory().remember(List.of(stats("t" + thread + "-" + i + ".test", Outcome.OK, T0)));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(memory().recall()).hasSize(threads * each);
        assertThat(warnings).isEmpty();
        assertThat(EndpointMemoryFile.inUse()).as("no lock kept once every thread is done").isZero();
    }

    @Test
    void concurrentPullsOfOtherProcessesAndThisOneLoseNoEntry() throws Exception {
        int each = 40;
        List<Process> processes = new ArrayList<>();
        for (String prefix : List.of("procA", "procB")) {
            processes.add(new ProcessBuilder(System.getProperty("java.home") + File.separator + "bin"
                    + File.separator + "java", "-cp", TestJvm.classPath(), EndpointMemoryWorker.class.getName(),
                    file().toString(), prefix, String.valueOf(each))
                    .redirectErrorStream(true).redirectOutput(tmp.resolve(prefix + ".log").toFile()).start());
        }
        for (int i = 0; i < each; i++) {
            new EndpointMemoryFile(file(), Duration.ofHours(1), Clock.systemUTC(), warnings::add)
                    .remember(List.of(stats("local-" + i + ".test", Outcome.OK, System.currentTimeMillis())));
        }
        for (Process p : processes) {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(() -> log("procA") + log("procB")).isZero();
        }

        Map<String, EndpointStats> all = new EndpointMemoryFile(file(), Duration.ofHours(1), Clock.systemUTC(),
                warnings::add).recall();
        for (String prefix : List.of("procA", "procB")) {
            for (int i = 0; i < each; i++) {
                assertThat(all).containsKey("http://" + prefix + "-" + i + ".test/v2");
            }
        }
        assertThat(all).hasSize(3 * each);
        assertThat(warnings).isEmpty();
    }

    @Test
    void aCorruptFileIsIgnoredWithOneWarningAndReplacedAtTheNextWrite() throws Exception {
        write("{\"version\":1,\"endpoints\":[{\"baseUrl\":");
        EndpointMemoryFile memory = memory();

        assertThat(memory.recall()).isEmpty();
        memory.remember(List.of(stats("a.test", Outcome.OK, T0)));

        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains(file().toString(), "ignored", "not valid JSON").doesNotContain("\n");
        warnings.clear();
        assertThat(memory().recall()).containsOnlyKeys("https://a.test/v2");
        assertThat(warnings).isEmpty();
    }

    @Test
    void everyEntryIsCheckedAndABadOneDropped() throws Exception {
        String good = entry("https://good.test/v2", "ok", T0, 1, 1);
        write("{\"version\":1,\"endpoints\":[" + String.join(",", good,
                entry("https://u:secret@creds.test/v2", "ok", T0, 1, 1),
                entry("ftp://ftp.test/v2", "ok", T0, 1, 1),
                entry("https://q.test/v2?token=x", "ok", T0, 1, 1),
                entry("https://" + "x".repeat(3000) + ".test/v2", "ok", T0, 1, 1),
                entry("https://label.test/v2", "exploded", T0, 1, 1),
                entry("https://rtt.test/v2", "ok", T0, -5, 1),
                entry("https://bps.test/v2", "ok", T0, 1, Long.MAX_VALUE),
                entry("https://ctl.test/v2\u001b[2J", "ok", T0, 1, 1),
                "{\"baseUrl\":\"https://str.test/v2\",\"outcome\":\"ok\",\"atMillis\":\"1\",\"rttMillis\":1,"
                        + "\"bytesPerSecond\":1}",
                "{\"baseUrl\":\"https://frac.test/v2\",\"outcome\":\"ok\",\"atMillis\":" + T0 + ".5,\"rttMillis\":1,"
                        + "\"bytesPerSecond\":1}",
                "{\"baseUrl\":\"https://missing.test/v2\",\"outcome\":\"ok\"}", "17", "null") + "]}");

        assertThat(memory().recall()).containsOnlyKeys("https://good.test/v2");

        memory().remember(List.of(new EndpointStats("https://user:pw@secret.test/v2", Outcome.OK, T0, 1, 1)));
        assertThat(Files.readString(file())).contains("good.test").doesNotContain("secret", "creds", "exploded");
        assertThat(warnings).isEmpty();
    }

    @Test
    void atMost256EntriesAreKeptTheNewest() {
        List<EndpointStats> many = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            many.add(stats("e" + i + ".test", Outcome.OK, T0 - 300 + i));
        }
        memory().remember(many);

        Map<String, EndpointStats> kept = memory().recall();
        assertThat(kept).hasSize(256).containsKey("https://e299.test/v2").doesNotContainKey("https://e43.test/v2");
    }

    @Test
    void anOversizeFileIsIgnoredWithAWarningAndReplaced() throws Exception {
        String valid = "{\"version\":1,\"endpoints\":[" + entry("https://big.test/v2", "ok", T0, 1, 1) + "]}";
        write(valid + " ".repeat(EndpointMemoryFile.MAX_BYTES));

        EndpointMemoryFile memory = memory();
        assertThat(memory.recall()).isEmpty();
        memory.remember(List.of(stats("a.test", Outcome.OK, T0)));

        assertThat(warnings).singleElement().asString().contains("larger than 1 MiB");
        assertThat(Files.size(file())).isLessThan(1000);
        assertThat(memory().recall()).containsOnlyKeys("https://a.test/v2");
    }

    @Test
    void aLinkedFileIsNeitherReadNorWrittenThrough() throws Exception {
        Path elsewhere = tmp.resolve("elsewhere.json");
        String valid = "{\"version\":1,\"endpoints\":[" + entry("https://linked.test/v2", "ok", T0, 1, 1) + "]}";
        Files.writeString(elsewhere, valid);
        Files.createDirectories(file().getParent());
        Files.createSymbolicLink(file(), elsewhere);
        EndpointMemoryFile memory = memory();

        assertThat(memory.recall()).isEmpty();
        memory.remember(List.of(stats("a.test", Outcome.OK, T0)));

        assertThat(warnings).singleElement().asString().contains("symbolic link", file().toString());
        assertThat(Files.isSymbolicLink(file())).isTrue();
        assertThat(Files.readString(elsewhere)).isEqualTo(valid);
    }

    @Test
    void aLinkedDirectoryIsNeitherReadNorWrittenThrough() throws Exception {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("endpoints.json"),
                "{\"version\":1,\"endpoints\":[" + entry("https://linked.test/v2", "ok", T0, 1, 1) + "]}");
        Files.createDirectories(tmp.resolve("store"));
        Files.createSymbolicLink(file().getParent(), elsewhere);
        EndpointMemoryFile memory = memory();

        assertThat(memory.recall()).isEmpty();
        memory.remember(List.of(stats("a.test", Outcome.OK, T0)));

        assertThat(warnings).singleElement().asString().contains("symbolic link");
        try (var listing = Files.list(elsewhere)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("endpoints.json");
        }
        assertThat(Files.readString(elsewhere.resolve("endpoints.json"))).doesNotContain("a.test");
    }

    @Test
    void aPlantedFifoNeitherBlocksNorIsUsed() throws Exception {
        Files.createDirectories(file().getParent());
        mkfifo(file());
        EndpointMemoryFile memory = memory();
        assertThat(memory.recall()).isEmpty();
        assertThat(warnings).singleElement().asString().contains("is not a regular file");

        Files.delete(file());
        mkfifo(file().resolveSibling("endpoints.json.lock"));
        warnings.clear();
        memory().remember(List.of(stats("a.test", Outcome.OK, T0)));
        assertThat(warnings).singleElement().asString().contains("endpoints.json.lock is not a regular file");
        assertThat(file()).doesNotExist();
    }

    private static void mkfifo(Path p) throws Exception {
        Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertThat(mk.waitFor()).isZero();
    }

    @Test
    void aStoreThatCannotBeWrittenGivesOneWarningNotAFailure() throws Exception {
        Files.writeString(tmp.resolve("store"), "a file where the store should be");
        EndpointMemoryFile memory = memory();

        memory.remember(List.of(stats("a.test", Outcome.OK, T0)));
        memory.remember(List.of(stats("b.test", Outcome.OK, T0)));

        assertThat(warnings).singleElement().asString()
                .isEqualTo("endpoint memory not saved to " + file() + ": Not a directory");
        warnings.clear();
        EndpointMemoryFile next = memory();
        assertThat(next.recall()).isEmpty();
        next.remember(List.of(stats("a.test", Outcome.OK, T0)));
        assertThat(warnings).singleElement().asString().contains(file().toString(), "Not a directory");
    }

    @Test
    void readingOrRememberingNothingLeavesNothingBehind() {
        memory().recall();
        memory().remember(List.of());

        assertThat(tmp.resolve("store")).doesNotExist();
        assertThat(warnings).isEmpty();
    }

    private void write(String json) throws Exception {
        Files.createDirectories(file().getParent());
        Files.write(file(), json.getBytes(StandardCharsets.UTF_8));
    }

    private static String entry(String url, String outcome, long at, long rtt, long bps) {
        return "{\"baseUrl\":\"" + url.replace("\u001b", "\\u001b") + "\",\"outcome\":\"" + outcome
                + "\",\"atMillis\":" + at + ",\"rttMillis\":" + rtt + ",\"bytesPerSecond\":" + bps + "}";
    }

    private String log(String name) {
        try {
            return Files.readString(tmp.resolve(name + ".log"));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
