package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.testdata.ContainerdFixture;
import dev.jpull.testdata.FaultProxy;
import dev.jpull.testdata.Image;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.RecordedRequest;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.Skopeo;
import dev.jpull.testdata.WanProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * jpull serve stopped in the middle of containerd's pull of a 16 MB layer (jpull serve's only upstream slowed to
 * 2 MB/s, so the layer is still on its way): containerd 1.6, with the hosts.toml {@code config render
 * --local-mirror} writes (jpull serve first, the real registry behind a recording proxy, {@code direct}, second),
 * completes the pull from its next endpoint, within {@link ServeContainerdIT#BOUND}, with skopeo's digest. One
 * containerd; one jpull serve per case.
 */
class ServeStoppedMidPullIT {
    private static final Duration BOUND = ServeContainerdIT.BOUND;
    private static Path tmp;
    private static RegistryFixture real;
    private static FaultProxy direct;
    private static ContainerdFixture containerd;

    @BeforeAll
    static void start() throws Exception {
        tmp = Files.createTempDirectory("jpull-serve-stop");
        real = RegistryFixture.start(RegistryFixture.Mode.PLAIN);
        direct = FaultProxy.start(real);
        containerd = ContainerdFixture.start(tmp.resolve("ctd"));
    }

    @AfterAll
    static void stop() {
        if (containerd != null) {
            containerd.close();
        }
        if (direct != null) {
            direct.close();
        }
        if (real != null) {
            real.close();
        }
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
        Skopeo.copyToRegistry(image.layoutDir(), "img", real, repo + ":1");
        String ref = registry + "/" + repo + ":1";
        String layer = image.layerDigests().get(image.layerDigests().size() - 1);
        long layerSize = image.layers().get(image.layers().size() - 1).size();
        String ns = "stop-" + stop.ordinal();
        // jpull serve's only upstream is slow (2 MB/s): the layer is still on its way when jpull serve stops
        try (WanProxy slow = WanProxy.start(0, "127.0.0.1", real.port(), Duration.ZERO,
                new WanProxy.Link(2_000_000), WanProxy.Mode.GOOD)) {
            Path jpullHosts = HostsDir.writeServerOnly(tmp.resolve("jpull-stop-" + stop + ".d"), registry,
                    slow.hostPort());
            JpullServe stopped = JpullServe.start(tmp.resolve("serve-stop-" + stop), "--hosts-dir",
                    jpullHosts.toString(), "--store", tmp.resolve("store-stop-" + stop).toString(),
                    "--stream-after", stop.streamAfter);
            try {
                Path hosts = HostsDir.render(tmp.resolve("rendered-" + stop), stopped, direct.hostPort(),
                        List.of(registry));
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
                        Skopeo.inspectDigest(real, repo + ":1"));
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
}
