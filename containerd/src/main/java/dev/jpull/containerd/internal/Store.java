package dev.jpull.containerd.internal;

import dev.jpull.spi.BlobDescriptor;
import dev.jpull.spi.BlobStatus;
import dev.jpull.spi.BlobWriter;
import dev.jpull.spi.PulledImage;
import dev.jpull.containerd.internal.api.content.Info;
import java.util.List;
import java.util.Optional;

/**
 * What {@code ContainerdDestination} does, over one connection: blob status and writers, reads, and the image
 * record with its unpack. Thread-safe.
 */
public final class Store {
    private final Connection connection;
    private final Lease lease;
    private final ContentStore content;

    public Store(Connection connection) {
        this.connection = connection;
        this.lease = new Lease(connection);
        this.content = new ContentStore(connection, lease);
    }

    public BlobStatus stat(BlobDescriptor blob, boolean rehash) {
        Optional<Info> info = content.info(blob.digest());
        if (info.isEmpty()) {
            return BlobStatus.ABSENT;
        }
        long size = info.get().getSize();
        if (size != blob.size()) {
            return new BlobStatus(true, size, "has " + size + " bytes, not " + blob.size());
        }
        if (rehash) {
            String actual = content.rehash(blob.digest());
            if (!actual.equals(blob.digest())) {
                return new BlobStatus(true, size, "hashes to " + actual);
            }
        }
        lease.keepContent(blob.digest());
        return new BlobStatus(true, size, null);
    }

    public BlobWriter openWriter(BlobDescriptor blob) {
        return ContentWriter.open(connection, lease.current(), blob);
    }

    public void remove(String digest) {
        content.delete(digest);
    }

    public Optional<byte[]> read(String digest) {
        return content.read(digest, ContentStore.MAX_READ);
    }

    /** Records {@code image}; unpacks it into {@code snapshotter} unless that is null. */
    public void record(PulledImage image, String snapshotter) {
        ImageRecorder recorder = new ImageRecorder(connection, lease, content);
        recorder.storeAndLabel(image);
        if (snapshotter != null) {
            new Unpacker(connection, lease, content, snapshotter).unpack(image);
        }
        recorder.name(image);
    }

    /**
     * Records the images of one index ({@code --all-platforms}): each stored and labelled, the first (the preferred
     * platform) unpacked unless {@code snapshotter} is null, as {@code ctr pull --all-platforms} unpacks only the
     * default platform; the names target the index and the image ID is the first image's config.
     */
    public void recordAll(List<PulledImage> images, String snapshotter) {
        ImageRecorder recorder = new ImageRecorder(connection, lease, content);
        images.forEach(recorder::storeAndLabel);
        if (snapshotter != null) {
            new Unpacker(connection, lease, content, snapshotter).unpack(images.get(0));
        }
        recorder.name(images.get(0));
    }

    public Lease lease() {
        return lease;
    }

    public String describe() {
        return "containerd://" + connection.socket() + "?namespace=" + connection.namespace();
    }
}
