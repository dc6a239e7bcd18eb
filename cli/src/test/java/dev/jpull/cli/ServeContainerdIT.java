package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.testdata.ContainerdFixture;
import dev.jpull.testdata.FaultProxy;
import dev.jpull.testdata.Image;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.RecordedRequest;
import dev.jpull.testdata.Skopeo;
import dev.jpull.testdata.WanProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * containerd 1.6 ({@code ctr images pull --hosts-dir} on what {@code jpull config render --local-mirror} wrote) with
 * {@code jpull serve} as the first endpoint of every registry and the real registry (behind a recording pass-through
 * proxy, {@code direct}) as the second, jpull serve's
 * own hosts dir listing each {@link FaultCase}'s faulty endpoint first and the real registry second. Every case
 * pulls within {@link #BOUND} with skopeo's digest, entirely through jpull serve (containerd sends nothing to its
 * second endpoint). Also: 10 concurrent pulls of 3 images fetch each blob upstream once, and a jpull serve stopped
 * mid-pull leaves containerd to complete from its next endpoint. One containerd for all of it, one jpull serve
 * for the fault matrix; the concurrency and stop tests have jpull serves of their own.
 */
class ServeContainerdIT {
    /** containerd's pull must succeed within this, as a process timeout. */
    static final Duration BOUND = Duration.ofSeconds(60);
    /** The registry name of the concurrency test's images (127.0.1.N:9, see {@link FaultCase#registryName}). */
    private static final String MANY = "127.0.1.9:9";

    private static final Map<FaultCase, CtrPull> RESULTS = new EnumMap<>(FaultCase.class);
    private static final Map<FaultCase, CtrPull> RETRIES = new EnumMap<>(FaultCase.class);
    private static Path tmp;
    private static FaultMatrix matrix;
    private static FaultProxy direct;
    private static FaultProxy upstream;
    private static List<Image> many;
    private static JpullServe serve;
    private static ContainerdFixture containerd;
    private static Path ctrHosts;

    @BeforeAll
    static void start() throws Exception {
        tmp = Files.createTempDirectory("jpull-serve-ctd");
        matrix = FaultMatrix.start(tmp, 2300, 2_000_000);
        direct = FaultProxy.start(matrix.registry());
        upstream = FaultProxy.start(matrix.registry());
        many = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            // data layers only: the busybox layer of the runnable images is in containerd already
            Image image = new ImageGenerator(4400 + name.charAt(0)).singlePlatform(tmp.resolve("many-" + name),
                    "img", 3, 1_000_000);
            Skopeo.copyToRegistry(image.layoutDir(), "img", matrix.registry(), "many/" + name + ":1");
            many.add(image);
        }
        Path jpullHosts = matrix.hostsDir(tmp.resolve("jpull.d"), FaultMatrix::firstOf);
        serve = JpullServe.start(tmp.resolve("serve"), "--hosts-dir", jpullHosts.toString(),
                "--store", tmp.resolve("store").toString());
        ctrHosts = render("matrix", serve, java.util.Arrays.stream(FaultCase.values()).map(FaultCase::registryName)
                .toList());
        containerd = ContainerdFixture.start(tmp.resolve("ctd"));
    }

    @AfterAll
    static void stop() {
        System.out.println(table());
        if (containerd != null) {
            containerd.close();
        }
        if (serve != null) {
            serve.close();
        }
        for (AutoCloseable c : new AutoCloseable[] {direct, upstream, matrix}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // closing anyway
            }
        }
    }

    @ParameterizedTest
    @EnumSource(FaultCase.class)
    void containerdPullsThroughJpullServeWhateverTheFirstEndpointDoes(FaultCase fault) {
        FaultMatrix.Case c = matrix.get(fault);
        String ns = "serve-" + fault.ordinal();
        CtrPull first = CtrPull.run(containerd, ns, ctrHosts, c.ref(), BOUND);
        RESULTS.put(fault, first);
        CtrPull pull = first;
        if (first.outcome() == CtrPull.Outcome.FAILED) {
            // the issue lets a failed transfer be retried, as kubelet does: one more pull, no more
            pull = CtrPull.run(containerd, ns, ctrHosts, c.ref(), BOUND);
            RETRIES.put(fault, pull);
        }
        System.out.println(fault + ": jpull serve's access log:\n" + serve.log().lines()
                .filter(l -> l.contains(" /v2/" + fault.repository() + "/")).collect(Collectors.joining("\n")));
        assertThat(pull.outcome()).as(first.output() + "\n" + (pull == first ? "" : "second pull: "
                + pull.output()) + "\njpull serve:\n" + tail(serve.log())).isEqualTo(CtrPull.Outcome.PULLED);
        assertThat(CtrPull.imageDigest(containerd, ns, c.ref())).isEqualTo(c.digest());
        assertThat(containerd.ctr("-n", ns, "images", "check", "name==" + c.ref())).contains("complete");
        assertThat(containerd.ctr("-n", ns, "run", "--rm", c.ref(), "t-" + ns, "/bin/sh", "-c", "echo ok").strip())
                .isEqualTo("ok");
        assertThat(direct.requests()).as("containerd fell back to its second endpoint")
                .noneMatch(r -> r.path().startsWith("/v2/" + fault.repository() + "/"));
        if (c.first() != null && c.first().proxy() != null) {
            assertThat(c.first().proxy().requests()).as("jpull serve tried the faulty first endpoint").isNotEmpty();
        }
    }

    @Test
    void tenConcurrentPullsOfThreeImagesFetchEachBlobUpstreamOnce() throws Exception {
        // a jpull serve of its own, with an empty store
        // upstream once, as the only endpoint (listed twice, jpull would hedge a slow request to it again)
        Path jpullHosts = HostsDir.writeServerOnly(tmp.resolve("jpull-many.d"), MANY, upstream.hostPort());
        Path hosts;
        List<CtrPull> pulls;
        String log;
        try (JpullServe own = JpullServe.start(tmp.resolve("serve-many"), "--hosts-dir", jpullHosts.toString(),
                "--store", tmp.resolve("store-many").toString())) {
            hosts = render("many", own, List.of(MANY));
            List<CtrPull.Running> running = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                running.add(CtrPull.start(containerd, "many-" + i, hosts, manyRef(i)));
            }
            pulls = running.stream().map(r -> r.await(BOUND.multipliedBy(2))).toList();
            log = own.log();
        }
        for (int i = 0; i < 10; i++) {
            CtrPull pull = pulls.get(i);
            assertThat(pull.outcome()).as(pull.output() + "\njpull serve:\n" + tail(log))
                    .isEqualTo(CtrPull.Outcome.PULLED);
            assertThat(CtrPull.imageDigest(containerd, "many-" + i, manyRef(i)))
                    .isEqualTo(many.get(i % 3).manifestDigest());
        }
        Set<String> blobs = new TreeSet<>();
        for (Image image : many) {
            blobs.add(image.configDigest());
            blobs.addAll(image.layerDigests());
        }
        Map<String, Long> gets = upstream.requests().stream()
                .filter(r -> r.method().equals("GET") && r.path().contains("/blobs/"))
                .collect(Collectors.groupingBy(r -> r.path().substring(r.path().lastIndexOf('/') + 1), TreeMap::new,
                        Collectors.counting()));
        assertThat(gets).as("upstream blob GETs per digest; upstream saw " + upstream.requests() + "\njpull serve:\n"
                + tail(log)).isEqualTo(blobs.stream()
                .collect(Collectors.toMap(Function.identity(), d -> 1L, (a, b) -> a, TreeMap::new)));
        assertThat(direct.requests()).noneMatch(r -> r.path().startsWith("/v2/many/"));
    }

    private static String manyRef(int i) {
        return MANY + "/many/" + "abc".charAt(i % 3) + ":1";
    }

    /**
     * How jpull serve is stopped in the middle of a pull: by SIGKILL or SIGTERM while it streams the layer to
     * containerd ({@code --stream-after 0}), or by SIGKILL while it still verifies the layer before answering
     * ({@code --stream-after never}: containerd waits for the response's headers).
     */
    enum Stop {
        SIGKILL_STREAMING("0"), SIGTERM_STREAMING("0"), SIGKILL_VERIFYING("never");

        private final String streamAfter;

        Stop(String streamAfter) {
            this.streamAfter = streamAfter;
        }
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void jpullServeStoppedMidPullLeavesContainerdToItsNextEndpoint(Stop stop) throws Exception {
        String registry = "127.0.1." + (5 + stop.ordinal()) + ":9";
        String repo = "stop/" + stop.name().toLowerCase(Locale.ROOT).replace('_', '-');
        Image image = new ImageGenerator(5500 + stop.ordinal()).runnable(tmp.resolve("stop-" + stop), "img", 1,
                16_000_000);
        Skopeo.copyToRegistry(image.layoutDir(), "img", matrix.registry(), repo + ":1");
        String ref = registry + "/" + repo + ":1";
        String layer = image.layerDigests().get(image.layerDigests().size() - 1);
        long layerSize = image.layers().get(image.layers().size() - 1).size();
        String ns = "stop-" + stop.ordinal();
        // jpull serve's only upstream is slow (2 MB/s): the layer is still on its way when jpull serve stops
        try (WanProxy slow = WanProxy.start(0, "127.0.0.1", matrix.registry().port(), Duration.ZERO,
                new WanProxy.Link(2_000_000), WanProxy.Mode.GOOD)) {
            Path jpullHosts = HostsDir.writeServerOnly(tmp.resolve("jpull-stop-" + stop + ".d"), registry,
                    slow.hostPort());
            JpullServe stopped = JpullServe.start(tmp.resolve("serve-stop-" + stop), "--hosts-dir",
                    jpullHosts.toString(), "--store", tmp.resolve("store-stop-" + stop).toString(),
                    "--stream-after", stop.streamAfter);
            try {
                Path hosts = render("stop-" + stop, stopped, List.of(registry));
                CtrPull.Running pull = CtrPull.start(containerd, ns, hosts, ref);
                String received = waitForIngest(ns, "layer-" + layer, pull, stop != Stop.SIGKILL_VERIFYING);
                if (stop == Stop.SIGTERM_STREAMING) {
                    assertThat(stopped.terminate()).as(stopped.log()).isZero();
                } else {
                    stopped.kill();
                }
                CtrPull first = pull.await(BOUND);
                CtrPull done = first;
                if (first.outcome() != CtrPull.Outcome.PULLED) {
                    // what kubelet does after a failed pull: pull again (jpull serve is still down)
                    done = CtrPull.run(containerd, ns, hosts, ref, BOUND);
                }
                List<RecordedRequest> fallback = direct.requests().stream()
                        .filter(r -> r.method().equals("GET") && r.path().endsWith("/blobs/" + layer)).toList();
                System.out.println("jpull serve stopped (" + stop + ") when containerd had " + received + " of the "
                        + layerSize + " B layer: containerd's pull " + first.cell(BOUND) + " in " + first.millis()
                        + " ms" + (first == done ? "" : "; a second pull " + done.cell(BOUND) + " in " + done.millis()
                        + " ms") + "; the layer's GETs on its next endpoint: " + fallback);
                assertThat(done.outcome()).as(first.output() + "\n" + done.output()).isEqualTo(
                        CtrPull.Outcome.PULLED);
                assertThat(CtrPull.imageDigest(containerd, ns, ref)).isEqualTo(
                        Skopeo.inspectDigest(matrix.registry(), repo + ":1"));
                assertThat(containerd.ctr("-n", ns, "images", "check", "name==" + ref)).contains("complete");
                if (stop == Stop.SIGTERM_STREAMING) {
                    // graceful: jpull serve finishes the download in flight, or cuts it and containerd goes on
                    assertThat(fallback.isEmpty()).as(stopped.log()).isEqualTo(stopped.log().contains(
                            "/blobs/" + layer + " ns=" + registry + " status=200 bytes=" + layerSize));
                } else {
                    assertThat(fallback).as("containerd took the layer from its next endpoint").isNotEmpty();
                }
            } finally {
                stopped.close();
            }
        }
    }

    /**
     * Waits (bounded) until containerd has the ingest {@code ref} in {@code ns}, holding bytes if {@code withBytes};
     * returns its size column (e.g. {@code 1.049MB}).
     */
    private static String waitForIngest(String ns, String ref, CtrPull.Running pull, boolean withBytes)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!pull.process().isAlive()) {
                throw new AssertionError("the pull ended before jpull serve was stopped: "
                        + Files.readString(pull.log()));
            }
            for (String line : containerd.ctr("-n", ns, "content", "active").lines().skip(1).toList()) {
                String[] cols = line.trim().split("\\s+");
                if (cols.length > 1 && cols[0].equals(ref) && (!withBytes || !cols[1].equals("0B"))) {
                    return cols[1];
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no ingest " + ref + (withBytes ? " with bytes" : "") + " in containerd within 60 s: "
                + Files.readString(pull.log()));
    }

    /**
     * containerd's hosts dir as {@code jpull config render --local-mirror} writes it for a registries.yaml that
     * mirrors each of {@code registries} to {@code direct}: jpull serve first, {@code direct} second (the
     * registry's own default endpoint, {@code http://127.0.1.N:9}, where nothing listens, last).
     */
    private static Path render(String name, JpullServe local, List<String> registries) throws Exception {
        StringBuilder yaml = new StringBuilder("mirrors:\n");
        for (String r : registries) {
            yaml.append("  \"").append(r).append("\":\n    endpoint:\n      - \"").append(direct.baseUrl())
                    .append("\"\n");
        }
        Path file = Files.writeString(tmp.resolve("registries-" + name + ".yaml"), yaml);
        Path out = tmp.resolve("rendered-" + name);
        CliRun r = CliRun.run(tmp.resolve("home"), "config", "render", "-c", file.toString(), "--local-mirror",
                local.hostPort(), "--output-dir", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        String toml = Files.readString(out.resolve("certs.d").resolve(registries.get(0)).resolve("hosts.toml"));
        assertThat(toml.indexOf("[host.\"" + local.baseUrl())).as(toml).isPositive()
                .isLessThan(toml.indexOf("[host.\"" + direct.baseUrl()));
        return out.resolve("certs.d");
    }

    private static String tail(String text) {
        return text.length() <= 6000 ? text : "..." + text.substring(text.length() - 6000);
    }

    private static String seconds(CtrPull r) {
        return String.format(Locale.ROOT, "%.1f s", r.millis() / 1000.0);
    }

    /** The observed column as a Markdown table. */
    static String table() {
        StringBuilder t = new StringBuilder("through jpull serve (ctr 1.6 images pull --hosts-dir; bound "
                + BOUND.toSeconds() + " s)\n| case | through jpull serve | time |\n|---|---|---|\n");
        RESULTS.forEach((c, r) -> {
            CtrPull retry = RETRIES.get(c);
            t.append("| ").append(c.label()).append(" | ").append(r.cell(BOUND))
                    .append(retry == null ? "" : "; a second pull: " + retry.cell(BOUND)).append(" | ")
                    .append(seconds(r)).append(retry == null ? "" : " + " + seconds(retry)).append(" |\n");
        });
        return t.toString();
    }
}
