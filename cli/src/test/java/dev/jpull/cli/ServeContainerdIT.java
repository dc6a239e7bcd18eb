package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.testdata.ContainerdFixture;
import dev.jpull.testdata.ClosedPort;
import dev.jpull.testdata.FaultProxy;
import dev.jpull.testdata.Image;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.Skopeo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
 * second endpoint). Also: 10 concurrent pulls of 3 images fetch each blob upstream once. One containerd for all of
 * it, one jpull serve for the fault matrix, one of its own (an empty store) for the concurrency test. A jpull serve
 * stopped mid-pull: {@link ServeStoppedMidPullIT}.
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
        ctrHosts = render("matrix", serve, Arrays.stream(FaultCase.values()).map(FaultCase::registryName).toList());
        containerd = ContainerdFixture.start(tmp.resolve("ctd"));
    }

    @AfterAll
    static void stop() {
        System.out.println(FaultMatrix.table("through jpull serve", BOUND, RESULTS, RETRIES));
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

    @Test
    void whenEveryUpstreamEndpointIsDownATagPulledBeforeStillPulls() throws Exception {
        // jpull serve's only upstream is a proxy this test stops; containerd's other endpoints (a closed port, then the
        // registry name itself, 127.0.1.10:9) are down throughout: only jpull serve can answer
        String name = "127.0.1.10:9";
        String ref = name + "/stale/img:1";
        // an image of its own: containerd shares content between namespaces, and other tests count blob GETs
        Image image = new ImageGenerator(4500).singlePlatform(tmp.resolve("stale-image"), "img", 2, 500_000);
        Skopeo.copyToRegistry(image.layoutDir(), "img", matrix.registry(), "stale/img:1");
        FaultProxy own = FaultProxy.start(matrix.registry());
        Path jpullHosts = HostsDir.writeServerOnly(tmp.resolve("jpull-stale.d"), name, own.hostPort());
        try (JpullServe local = JpullServe.start(tmp.resolve("serve-stale"), "--hosts-dir", jpullHosts.toString(),
                "--store", tmp.resolve("store-stale").toString())) {
            Path hosts = HostsDir.render(tmp.resolve("rendered-stale"), local, ClosedPort.allocate().hostPort(),
                    List.of(name));
            CtrPull before = CtrPull.run(containerd, "stale-1", hosts, ref, BOUND);
            assertThat(before.outcome()).as(before.output()).isEqualTo(CtrPull.Outcome.PULLED);
            own.close();

            // another namespace: containerd resolves the tag again (its content it may share between namespaces)
            CtrPull after = CtrPull.run(containerd, "stale-2", hosts, ref, BOUND);
            assertThat(after.outcome()).as(after.output() + "\njpull serve:\n" + tail(local.log()))
                    .isEqualTo(CtrPull.Outcome.PULLED);
            assertThat(CtrPull.imageDigest(containerd, "stale-2", ref)).isEqualTo(image.manifestDigest());
            assertThat(containerd.ctr("-n", "stale-2", "images", "check", "name==" + ref)).contains("complete");
            assertThat(local.log()).contains("/v2/stale/img/manifests/1 ns=" + name).contains("source=store-stale");
        } finally {
            own.close();
        }
    }

    private static String manyRef(int i) {
        return MANY + "/many/" + "abc".charAt(i % 3) + ":1";
    }

    private static Path render(String name, JpullServe local, List<String> registries) {
        return HostsDir.render(tmp.resolve("rendered-" + name), local, direct.hostPort(), registries);
    }

    private static String tail(String text) {
        return text.length() <= 6000 ? text : "..." + text.substring(text.length() - 6000);
    }
}
