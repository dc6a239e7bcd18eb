package dev.jpull.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.Jpull;
import dev.jpull.PullResult;
import dev.jpull.RegistriesConfig;
import dev.jpull.containerd.cri.Image;
import dev.jpull.containerd.cri.ImageServiceGrpc;
import dev.jpull.containerd.cri.ListImagesRequest;
import dev.jpull.testdata.ContainerdFixture;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.MultiPlatformImage;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.RegistryFixture.Mode;
import dev.jpull.testdata.Skopeo;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What kubelet (and {@code crictl images}) sees after {@code jpull pull --containerd}: containerd's CRI plugin lists
 * the image in namespace {@code k8s.io} with its tag, its repo digest and its image ID, as after a CRI pull, both
 * right after the pull and after containerd restarts (CRI rebuilds its image cache from the records).
 */
class CriSeesJpullsPullIT {
    @TempDir
    Path tmp;

    @Test
    void criListsTheImageWithTagRepoDigestAndId() throws Exception {
        try (RegistryFixture registry = RegistryFixture.start(Mode.PLAIN)) {
            MultiPlatformImage multi = new ImageGenerator(12).runnableMultiPlatform(tmp.resolve("multi"), "multi");
            Skopeo.copyToRegistry(multi.layoutDir(), "multi", registry, "library/multi:2");
            Path yaml = Files.writeString(tmp.resolve("registries.yaml"), "mirrors:\n  \"" + registry.hostPort()
                    + "\":\n    endpoint:\n      - \"http://" + registry.hostPort() + "\"\n");
            String ref = registry.hostPort() + "/library/multi:2";
            String configDigest = multi.child("linux/amd64").configDigest();
            Path dir = tmp.resolve("ctd");
            try (ContainerdFixture containerd = ContainerdFixture.startWithCri(dir)) {
                PullResult r;
                try (Containerd c = Containerd.connect(containerd.socket(), "k8s.io")) {
                    r = Jpull.builder().config(RegistriesConfig.load(yaml))
                            .destination(c.destination(Containerd.DEFAULT_SNAPSHOTTER, true)).build().pull(ref);
                }
                assertCriImage(containerd.socket(), ref, r.digest(), configDigest);
            }
            // a restarted containerd's CRI plugin loads its images from the records jpull wrote
            try (ContainerdFixture containerd = ContainerdFixture.startWithCri(dir)) {
                assertCriImage(containerd.socket(), ref, multi.indexDigest(), configDigest);
            }
        }
    }

    private static void assertCriImage(Path socket, String ref, String digest, String configDigest)
            throws Exception {
        var group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        ManagedChannel channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .eventLoopGroup(group).channelType(EpollDomainSocketChannel.class).usePlaintext()
                .overrideAuthority("localhost").build();
        try {
            // the CRI image cache follows containerd's image events: wait for it, bounded
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            List<Image> images;
            do {
                images = ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .listImages(ListImagesRequest.getDefaultInstance()).getImagesList();
                if (!images.isEmpty()) {
                    break;
                }
                Thread.sleep(200);
            } while (System.nanoTime() < deadline);
            assertThat(images).as("CRI's images").hasSize(1);
            Image image = images.get(0);
            assertThat(image.getId()).isEqualTo(configDigest);
            assertThat(image.getRepoTagsList()).containsExactly(ref);
            assertThat(image.getRepoDigestsList())
                    .containsExactly(ref.substring(0, ref.lastIndexOf(':')) + "@" + digest);
            assertThat(image.getSize()).isPositive();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
