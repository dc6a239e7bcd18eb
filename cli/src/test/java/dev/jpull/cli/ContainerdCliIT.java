package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpull.testdata.ContainerdFixture;
import dev.jpull.testdata.Fault;
import dev.jpull.testdata.FaultProxy;
import dev.jpull.testdata.Image;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.RecordedRequest;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.RegistryFixture.Mode;
import dev.jpull.testdata.Skopeo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code jpull pull --containerd SOCKET} against a real containerd 1.6 (as root, its own root/state/socket) and the
 * real registry: crictl's output, {@code images}/{@code rmi --containerd}, a pull killed with {@code kill -9} that
 * resumes from containerd's ingest, failover from a faulty first endpoint, and the errors of a containerd that
 * cannot take the pull. Each test works in a namespace of its own.
 */
class ContainerdCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static Path tmp;
    private static RegistryFixture registry;
    private static ContainerdFixture containerd;
    private static Image image;
    private static String ref;

    @BeforeAll
    static void start() throws Exception {
        tmp = Files.createTempDirectory("jpull-ctd-cli");
        registry = RegistryFixture.start(Mode.PLAIN);
        image = new ImageGenerator(31).runnable(tmp.resolve("layout"), "app", 2, 3_000_000);
        Skopeo.copyToRegistry(image.layoutDir(), "app", registry, "library/app:1.0");
        ref = registry.hostPort() + "/library/app:1.0";
        containerd = ContainerdFixture.start(tmp.resolve("ctd"));
    }

    @AfterAll
    static void stop() {
        if (containerd != null) {
            containerd.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private static String namespace() {
        return "t" + NAMESPACES.incrementAndGet();
    }

    private static Path config(String... endpoints) throws Exception {
        StringBuilder yaml = new StringBuilder("mirrors:\n  \"" + registry.hostPort() + "\":\n    endpoint:\n");
        for (String e : endpoints) {
            yaml.append("      - \"http://").append(e).append("\"\n");
        }
        return Files.writeString(Files.createTempFile(tmp, "registries", ".yaml"), yaml);
    }

    /**
     * A runnable image no other test pulled, as {@code library/fresh:<ns>}: containerd shares content between
     * namespaces, so a blob it already holds is committed without a download.
     */
    private static Image fresh(String ns, int extraLayers, long layerSize) {
        Image img = new ImageGenerator(ns.hashCode() * 7919L + 17).runnable(tmp.resolve("fresh-" + ns), "fresh",
                extraLayers, layerSize);
        Skopeo.copyToRegistry(img.layoutDir(), "fresh", registry, "library/fresh:" + ns);
        return img;
    }

    private static CliRun jpull(String... args) {
        return CliRun.run(tmp.resolve("home"), args);
    }

    @Test
    void pullPrintsCrictlsLinesImagesListsItAndRmiRemovesIt() throws Exception {
        String ns = namespace();
        Path yaml = config(registry.hostPort());
        CliRun r = jpull("pull", "--containerd", containerd.socket().toString(), "--namespace", ns,
                "-c", yaml.toString(), ref);
        assertThat(r.exitCode()).as(r.err()).isZero();
        String digest = Skopeo.inspectDigest(registry, "library/app:1.0");
        assertThat(r.out()).isEqualTo("Digest: " + digest + "\nImage is up to date for " + image.configDigest()
                + "\n");
        assertThat(containerd.ctr("-n", ns, "images", "check", "name==" + ref)).contains("complete");
        assertThat(containerd.ctr("-n", ns, "run", "--rm", ref, "t-cli", "/bin/sh", "-c", "echo ok").strip())
                .isEqualTo("ok");

        CliRun again = jpull("--containerd", containerd.socket().toString(), "--namespace", ns, "-c",
                yaml.toString(), "-o", "json", ref);
        assertThat(again.exitCode()).as(again.err()).isZero();
        JsonNode report = JSON.readTree(again.out());
        assertThat(report.get("destination").asText())
                .isEqualTo("containerd://" + containerd.socket() + "?namespace=" + ns);
        assertThat(report.get("blobs")).allSatisfy(b -> assertThat(b.get("cached").asBoolean()).isTrue());

        CliRun images = jpull("images", "--containerd", containerd.socket().toString(), "--namespace", ns);
        assertThat(images.exitCode()).as(images.err()).isZero();
        assertThat(images.out().lines()).anyMatch(l -> l.startsWith(ref.substring(0, ref.lastIndexOf(':')))
                && l.contains(image.configDigest().substring(7, 19)));

        String repo = ref.substring(0, ref.lastIndexOf(':'));
        CliRun filtered = jpull("images", "--containerd", containerd.socket().toString(), "--namespace", ns, repo);
        assertThat(filtered.out()).isEqualTo(images.out());
        CliRun other = jpull("images", "--containerd", containerd.socket().toString(), "--namespace", ns,
                registry.hostPort() + "/library/other");
        assertThat(other.out().lines()).as(other.out()).noneMatch(l -> l.startsWith(repo));

        CliRun rmi = jpull("rmi", "--containerd", containerd.socket().toString(), "--namespace", ns, ref);
        assertThat(rmi.exitCode()).as(rmi.err()).isZero();
        assertThat(rmi.out()).isEqualTo("Deleted: " + ref + "\n");
        assertThat(containerd.ctr("-n", ns, "images", "ls", "-q")).isEmpty();
        CliRun gone = jpull("rmi", "--containerd", containerd.socket().toString(), "--namespace", ns, ref);
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.err()).contains("no image " + ref + " in namespace " + ns);
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"CORRUPT_BODY", "TRUNCATE_BODY", "NEVER_ANSWER"})
    void aFaultyFirstEndpointStillLandsTheImageVerified(Fault fault) throws Exception {
        String ns = namespace();
        // an image containerd holds in no namespace: content it has already is taken without a download
        Image image = fresh(ns, 2, 500_000);
        String ref = registry.hostPort() + "/library/fresh:" + ns;
        try (FaultProxy proxy = FaultProxy.start(registry)) {
            if (fault == Fault.NEVER_ANSWER) {
                proxy.fault(fault);
            } else {
                proxy.fault(fault, FaultProxy.blob(image.layerDigests().get(1)));
            }
            CliRun r = jpull("pull", "--containerd", containerd.socket().toString(), "--namespace", ns,
                    "-c", config(proxy.hostPort(), registry.hostPort()).toString(), "--header-timeout", "2s",
                    "-o", "json", ref);
            assertThat(r.exitCode()).as(r.err()).isZero();
            JsonNode report = JSON.readTree(r.out());
            assertThat(report.get("digest").asText()).isEqualTo(Skopeo.inspectDigest(registry, "library/fresh:" + ns));
            assertThat(report.get("attempts").toString()).contains(proxy.hostPort());
            assertThat(containerd.ctr("-n", ns, "images", "check", "name==" + ref)).contains("complete");
            String layer = image.layerDigests().get(1);
            assertThat(containerd.ctr("-n", ns, "content", "ls").lines()).anyMatch(l -> l.startsWith(layer));
        }
    }

    @Test
    void aPullKilledMidLayerResumesFromContainerdsIngest() throws Exception {
        String ns = namespace();
        Image image = fresh(ns, 2, 3_000_000);
        String ref = registry.hostPort() + "/library/fresh:" + ns;
        String layer = image.layerDigests().get(2);
        long layerSize = image.layers().get(2).size();
        try (FaultProxy proxy = FaultProxy.start(registry)) {
            proxy.fault(Fault.STALL_MID_BODY, FaultProxy.blob(layer));
            Path yaml = config(proxy.hostPort());
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", System.getProperty("java.class.path"), "dev.jpull.cli.Main", "pull",
                    "--containerd", containerd.socket().toString(), "--namespace", ns, "-c", yaml.toString(),
                    "--read-timeout", "10m", "--speed-time", "0", "--hedge-delay", "0", "--concurrency", "1", ref));
            Path log = tmp.resolve("killed-" + ns + ".log");
            Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                waitForIngest(ns, "layer-" + layer, child, log);
            } finally {
                child.destroyForcibly(); // SIGKILL: no cleanup runs in the child
                child.waitFor(30, TimeUnit.SECONDS);
            }
            assertThat(hasIngest(ns, "layer-" + layer)).as("containerd keeps the killed pull's ingest").isTrue();

            proxy.fault(Fault.NONE);
            proxy.clearRequests();
            CliRun r = jpull("pull", "--containerd", containerd.socket().toString(), "--namespace", ns,
                    "-c", yaml.toString(), "-o", "json", ref);
            assertThat(r.exitCode()).as(r.err()).isZero();
            List<RecordedRequest> layerRequests = proxy.requests().stream()
                    .filter(q -> q.path().endsWith(layer) && q.method().equals("GET")).toList();
            assertThat(layerRequests).hasSize(1);
            String range = layerRequests.get(0).range();
            assertThat(range).as("the layer resumes where the killed pull stopped").matches("bytes=[0-9]+-");
            long kept = Long.parseLong(range.substring("bytes=".length(), range.length() - 1));
            assertThat(kept).isPositive().isLessThan(layerSize);
            JsonNode report = JSON.readTree(r.out());
            long layerBytes = 0;
            for (JsonNode b : report.get("blobs")) {
                if (!b.get("cached").asBoolean()) {
                    layerBytes += b.get("size").asLong();
                }
            }
            // only the remainder of the killed layer crossed the network, plus what was not fetched before
            assertThat(report.get("bytesDownloaded").asLong()).isLessThan(layerBytes - kept + 10_000);
            assertThat(containerd.ctr("-n", ns, "images", "check", "name==" + ref)).contains("complete");
        }
    }

    /** Waits until containerd's ingest {@code ingestRef} holds bytes (its size is no longer 0 B). */
    private static void waitForIngest(String ns, String ingestRef, Process child, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new AssertionError("the pull exited before it was killed: "
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            String size = ingestSize(ns, ingestRef);
            if (size != null && !size.equals("0B")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no ingest " + ingestRef + " appeared: " + Files.readString(log));
    }

    private static boolean hasIngest(String ns, String ingestRef) {
        return ingestSize(ns, ingestRef) != null;
    }

    /** The size column of {@code ctr content active} for {@code ingestRef} (e.g. {@code 1.573MB}), or null. */
    private static String ingestSize(String ns, String ingestRef) {
        for (String line : containerd.ctr("-n", ns, "content", "active").lines().skip(1).toList()) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length > 1 && cols[0].equals(ingestRef)) {
                return cols[1];
            }
        }
        return null;
    }

    @Test
    void aContainerdWithoutTheLeasesServiceIsNamed() throws Exception {
        try (ContainerdFixture old = ContainerdFixture.start(tmp.resolve("old"), List.of("io.containerd.grpc.v1.leases"))) {
            CliRun r = jpull("pull", "--containerd", old.socket().toString(), "-c",
                    config(registry.hostPort()).toString(), ref);
            assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).doesNotContain("\tat ");
            assertThat(lastLine(r)).contains(old.socket() + " does not offer the containerd.services.leases.v1.Leases"
                    + " service", "older than 1.6").doesNotContain("Exception");
        }
    }

    @Test
    void anUnknownSnapshotterIsAUsageError() throws Exception {
        String ns = namespace();
        CliRun r = jpull("pull", "--containerd", containerd.socket().toString(), "--namespace", ns,
                "--snapshotter", "nosuch", "-c", config(registry.hostPort()).toString(), ref);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.errLines()).as(r.err()).hasSize(1); // before any download
        assertThat(r.err()).contains("has no snapshotter 'nosuch'", "--snapshotter").doesNotContain("Exception");
    }

    @Test
    void permissionDeniedOnTheSocketForAnotherUser() throws Exception {
        Assumptions.assumeRoot(containerd);
        List<String> cmd = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                readableClassPath(), "dev.jpull.cli.Main", "images", "--containerd",
                containerd.socket().toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(2);
        assertThat(out.strip()).isEqualTo("jpull: permission denied on " + containerd.socket()
                + ": containerd's socket is root's; run jpull with sudo (or as a user in the socket's group)");
    }

    @Test
    void aCommitContainerdRefusesFailsThePull() throws Exception {
        String ns = namespace();
        // content containerd never had (a blob it holds in another namespace is not written again)
        fresh(ns, 1, 10_000);
        // containerd's ingests on another file system: every commit (a rename into blobs/) fails with EXDEV
        Path ingest = tmp.resolve("ctd/root/io.containerd.content.v1.content/ingest");
        Files.createDirectories(ingest);
        run("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", ingest.toString());
        try {
            CliRun r = jpull("pull", "--containerd", containerd.socket().toString(), "--namespace", ns,
                    "-c", config(registry.hostPort()).toString(), registry.hostPort() + "/library/fresh:" + ns);
            assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
            assertThat(lastLine(r)).startsWith("jpull: containerd at " + containerd.socket() + " refused committing");
            assertThat(r.err()).doesNotContain("Exception", "\tat ");
        } finally {
            run("umount", ingest.toString());
        }
    }

    private static String lastLine(CliRun r) {
        String[] lines = r.errLines();
        return lines.length == 0 ? "" : lines[lines.length - 1];
    }

    /** This JVM's class path copied where another user can read it (~/.m2 is root's). */
    private static String readableClassPath() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("cp"));
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path from = Path.of(entry);
            if (!Files.exists(from)) {
                continue;
            }
            Path to = dir.resolve((i++) + "-" + from.getFileName());
            run("cp", "-r", from.toString(), to.toString());
            entries.add(to.toString());
        }
        run("chmod", "-R", "a+rX", dir.toString());
        run("chmod", "a+x", tmp.toString());
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + ": " + out);
        }
    }

    /** These tests run as root in CI (.ci/run); say so plainly elsewhere. */
    static final class Assumptions {
        static void assumeRoot(ContainerdFixture c) {
            if (!c.root()) {
                throw new AssertionError("ContainerdCliIT needs root (containerd unpacks and runs containers)");
            }
        }
    }
}
