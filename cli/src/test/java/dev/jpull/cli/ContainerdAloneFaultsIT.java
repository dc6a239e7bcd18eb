package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.testdata.ContainerdFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * containerd 1.6 alone (ctr's resolver, the code CRI pulls with) with a hosts.toml listing each {@link FaultCase}'s
 * faulty endpoint first and the real registry second: the "containerd alone" column of BENCHMARKS.md's
 * "containerd alone vs through jpull serve". Whether containerd pulls, fails or hangs on a fault is observed and
 * printed, not asserted (it is containerd's behaviour, not ours); what is asserted is what must hold whatever
 * containerd does: the registry alone pulls, and a pulled image always has skopeo's digest and is complete. A
 * failed pull is pulled once more, as kubelet would, and that second outcome is recorded too.
 * One containerd for the whole matrix; a hang is killed at {@link #BOUND}.
 */
class ContainerdAloneFaultsIT {
    /** How long a pull may take before it counts as hung (and is killed). */
    static final Duration BOUND = Duration.ofSeconds(20);

    private static final Map<FaultCase, CtrPull> RESULTS = new EnumMap<>(FaultCase.class);
    private static final Map<FaultCase, CtrPull> RETRIES = new EnumMap<>(FaultCase.class);
    private static Path tmp;
    private static FaultMatrix matrix;
    private static ContainerdFixture containerd;
    private static Path hosts;

    @BeforeAll
    static void start() throws Exception {
        tmp = Files.createTempDirectory("jpull-ctd-alone");
        matrix = FaultMatrix.start(tmp, 1300, 2_000_000);
        hosts = matrix.hostsDir(tmp.resolve("certs.d"), FaultMatrix::firstOf);
        containerd = ContainerdFixture.start(tmp.resolve("ctd"));
    }

    @AfterAll
    static void stop() {
        System.out.println(FaultMatrix.table("containerd alone", BOUND, RESULTS, RETRIES));
        if (containerd != null) {
            containerd.close();
        }
        if (matrix != null) {
            matrix.close();
        }
    }

    @ParameterizedTest
    @EnumSource(FaultCase.class)
    void containerdAloneBehindAFaultyFirstEndpoint(FaultCase fault) {
        FaultMatrix.Case c = matrix.get(fault);
        String ns = "alone-" + fault.ordinal();
        CtrPull pull = CtrPull.run(containerd, ns, hosts, c.ref(), BOUND);
        RESULTS.put(fault, pull);
        if (pull.outcome() == CtrPull.Outcome.FAILED) {
            System.out.println(fault + ": ingests after the failed pull: " + containerd.ctr("-n", ns, "content",
                    "active").lines().skip(1).map(String::strip).toList());
            // what kubelet does after a failed pull: pull again
            CtrPull retry = CtrPull.run(containerd, ns, hosts, c.ref(), BOUND);
            RETRIES.put(fault, retry);
            pull = retry;
        }
        if (c.first() != null && c.first().proxy() != null) {
            System.out.println(fault + ": the first endpoint saw " + c.first().proxy().requests().stream()
                    .map(r -> r.method() + " " + r.path().substring(r.path().lastIndexOf('/') + 1)
                            + (r.range() == null ? "" : " " + r.range()))
                    .toList());
        }
        String digest = CtrPull.imageDigest(containerd, ns, c.ref());
        if (pull.outcome() == CtrPull.Outcome.PULLED) {
            assertThat(digest).as(pull.output()).isEqualTo(c.digest());
            assertThat(containerd.ctr("-n", ns, "images", "check", "name==" + c.ref())).contains("complete");
        } else {
            // containerd never records an image it could not fetch
            assertThat(digest).as(pull.output()).isNull();
        }
        if (fault == FaultCase.REGISTRY_ALONE) {
            assertThat(pull.outcome()).as(pull.output()).isEqualTo(CtrPull.Outcome.PULLED);
        }
    }
}
