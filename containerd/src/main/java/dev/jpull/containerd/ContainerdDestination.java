package dev.jpull.containerd;

import dev.jpull.containerd.internal.Connection;
import dev.jpull.containerd.internal.Store;
import dev.jpull.spi.BlobDescriptor;
import dev.jpull.spi.BlobStatus;
import dev.jpull.spi.BlobWriter;
import dev.jpull.spi.Destination;
import dev.jpull.spi.PulledImage;
import java.util.List;
import java.util.Optional;

/**
 * A pull into containerd's image store, as {@code crictl pull} leaves it: every blob streamed into the content
 * store ({@code Content.Write} on containerd's ingest ref, resumed from the ingest's offset after a failover or a
 * killed process, committed with the expected digest and size), all under a lease; the image recorded with the
 * labels and names of containerd's CRI plugin; and, unless disabled, the pulled platform unpacked into the
 * snapshotter. Made by {@link Containerd#destination}; give it to {@code Jpull.Builder#destination}:
 *
 * <pre>{@code
 * try (Containerd containerd = Containerd.connect(Containerd.defaultSocket(System::getenv), "k8s.io")) {
 *     Jpull jpull = Jpull.builder().destination(containerd.destination("overlayfs", true)).build();
 *     PullResult result = jpull.pull("docker.io/library/alpine:3.20");
 * }
 * }</pre>
 *
 * <p>Thread-safe: concurrent pulls share one lease, released when the last of them ends.
 */
public final class ContainerdDestination implements Destination {
    private final Store store;
    private final String snapshotter;
    private final boolean unpack;

    ContainerdDestination(Connection connection, String snapshotter, boolean unpack) {
        this.store = new Store(connection);
        this.snapshotter = snapshotter;
        this.unpack = unpack;
    }

    @Override
    public BlobStatus stat(BlobDescriptor blob, boolean rehash) {
        return store.stat(blob, rehash);
    }

    @Override
    public BlobWriter openWriter(BlobDescriptor blob) {
        return store.openWriter(blob);
    }

    @Override
    public void remove(String digest) {
        store.remove(digest);
    }

    @Override
    public Optional<byte[]> read(String digest) {
        return store.read(digest);
    }

    /**
     * Stores the indexes, labels every blob for the garbage collector, unpacks (unless disabled), then names the
     * image: the reference, {@code name@<top digest>} and {@code sha256:<config>}.
     */
    @Override
    public void recordImage(PulledImage image) {
        store.record(image, unpack ? snapshotter : null);
    }

    /**
     * A multi-platform pull: every image stored and labelled under the index, the preferred (first) one unpacked
     * unless disabled, the names on the index as for {@link #recordImage}.
     */
    @Override
    public void recordImages(List<PulledImage> images) {
        store.recordAll(images, unpack ? snapshotter : null);
    }

    @Override
    public void beginPull(String reference) {
        store.lease().acquire();
    }

    @Override
    public void endPull(String reference) {
        store.lease().release();
    }

    /** {@code containerd://SOCKET?namespace=NS}, as the JSON report's {@code destination} shows it. */
    @Override
    public String toString() {
        return store.describe();
    }
}
