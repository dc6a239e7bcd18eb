package dev.jpull.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.BlobResult;
import dev.jpull.Jpull;
import dev.jpull.PullResult;
import dev.jpull.RegistriesConfig;
import dev.jpull.testdata.ContainerdFixture;
import dev.jpull.testdata.Image;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.MultiPlatformImage;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.RegistryFixture.Mode;
import dev.jpull.testdata.Skopeo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls from the real registry into a real containerd (1.6, as root, its own root/state/socket) through
 * {@link ContainerdDestination}, and checks with containerd's own tools what kubelet would find: the image under
 * its reference with skopeo's digest ({@code ctr images ls}), complete content ({@code ctr images check}), the
 * unpacked chain ({@code ctr snapshots ls}) surviving containerd's garbage collector, and a container that runs
 * ({@code ctr run ... echo ok}) - for a single-layer image, a multi-layer image and a multi-platform index.
 */
class ContainerdPullIT {
    @TempDir
    static Path tmp;
    static RegistryFixture registry;
    static ContainerdFixture containerd;
    static Image single;
    static Image layered;
    static MultiPlatformImage multi;

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryFixture.start(Mode.PLAIN);
        ImageGenerator gen = new ImageGenerator(10);
        single = gen.runnable(tmp.resolve("single"), "single", 0, 0);
        layered = gen.runnable(tmp.resolve("layered"), "layered", 3, 300_000);
        multi = gen.runnableMultiPlatform(tmp.resolve("multi"), "multi");
        Skopeo.copyToRegistry(single.layoutDir(), "single", registry, "library/single:1");
        Skopeo.copyToRegistry(layered.layoutDir(), "layered", registry, "library/layered:1");
        Skopeo.copyToRegistry(multi.layoutDir(), "multi", registry, "library/multi:1");
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

    private PullResult pull(String repoTag) throws Exception {
        Path yaml = tmp.resolve("registries.yaml");
        Files.writeString(yaml, "mirrors:\n  \"" + registry.hostPort() + "\":\n    endpoint:\n"
                + "      - \"http://" + registry.hostPort() + "\"\n");
        try (Containerd c = Containerd.connect(containerd.socket(), "k8s.io")) {
            return Jpull.builder().config(RegistriesConfig.load(yaml))
                    .destination(c.destination(Containerd.DEFAULT_SNAPSHOTTER, true)).build()
                    .pull(registry.hostPort() + "/" + repoTag);
        }
    }

    private void assertRunnable(String repoTag, String configDigest, int layers) throws Exception {
        String ref = registry.hostPort() + "/" + repoTag;
        String digest = Skopeo.inspectDigest(registry, repoTag);
        String ls = containerd.ctr("-n", "k8s.io", "images", "ls");
        assertThat(ls.lines()).as(ls).anyMatch(l -> l.startsWith(ref + " ") && l.contains(digest));
        // the names and label a CRI pull gives its images
        String names = containerd.ctr("-n", "k8s.io", "images", "ls", "-q");
        assertThat(names.lines()).as(names).contains(ref, ref.substring(0, ref.lastIndexOf(':')) + "@" + digest,
                configDigest);
        assertThat(ls.lines().filter(l -> l.startsWith(ref + " ")).findFirst().orElseThrow())
                .contains("io.cri-containerd.image=managed");

        // containerd's garbage collector runs (a lease deleted with --sync) and keeps everything
        String lease = containerd.ctr("-n", "k8s.io", "leases", "create").trim().split("\\s+")[0];
        containerd.ctr("-n", "k8s.io", "leases", "delete", "--sync", lease);
        String check = containerd.ctr("-n", "k8s.io", "images", "check", "name==" + ref);
        assertThat(check).as(check).contains("complete");
        String snapshots = containerd.ctr("-n", "k8s.io", "snapshots", "--snapshotter", "overlayfs", "ls");
        assertThat(snapshots.lines().skip(1).filter(l -> l.contains("Committed")).count()).as(snapshots)
                .isGreaterThanOrEqualTo(layers);

        String out = containerd.ctr("-n", "k8s.io", "run", "--rm", ref, "t-" + Long.toHexString(System.nanoTime()),
                "/bin/sh", "-c", "echo ok");
        assertThat(out.strip()).isEqualTo("ok");
    }

    @Test
    void singleLayerImageRuns() throws Exception {
        PullResult r = pull("library/single:1");
        assertThat(r.digest()).isEqualTo(Skopeo.inspectDigest(registry, "library/single:1"));
        assertThat(r.imageId()).isEqualTo(single.configDigest());
        assertRunnable("library/single:1", single.configDigest(), 1);

        PullResult again = pull("library/single:1");
        assertThat(again.blobs()).allMatch(BlobResult::cached);
    }

    @Test
    void multiLayerImageRunsAndASecondPullTransfersNoBlob() throws Exception {
        PullResult r = pull("library/layered:1");
        assertThat(r.blobs()).hasSize(5).noneMatch(BlobResult::cached);
        assertRunnable("library/layered:1", layered.configDigest(), 4);

        PullResult again = pull("library/layered:1");
        assertThat(again.blobs()).allMatch(BlobResult::cached);
        assertThat(again.bytesDownloaded()).isLessThan(10_000); // the manifest only
    }

    @Test
    void multiPlatformIndexIsTheTargetAndTheAmd64ImageRuns() throws Exception {
        PullResult r = pull("library/multi:1");
        assertThat(r.digest()).isEqualTo(multi.indexDigest()).isEqualTo(Skopeo.inspectDigest(registry,
                "library/multi:1"));
        Image amd64 = multi.child("linux/amd64");
        assertThat(r.imageId()).isEqualTo(amd64.configDigest());
        assertRunnable("library/multi:1", amd64.configDigest(), 1);
        String info = containerd.ctr("-n", "k8s.io", "content", "ls");
        assertThat(info.lines().filter(l -> l.startsWith(multi.indexDigest())).findFirst().orElseThrow())
                .contains("containerd.io/gc.ref.content.m.0=");
    }
}
