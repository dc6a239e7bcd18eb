package dev.jpull.internal.store;

import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.Platform;
import dev.jpull.spi.BlobDescriptor;
import dev.jpull.spi.BlobStatus;
import dev.jpull.spi.BlobWriter;
import dev.jpull.spi.Destination;
import dev.jpull.spi.ImagePlatform;
import dev.jpull.spi.PulledImage;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The OCI image layout store as a pull's {@link Destination}: {@link #stat} is {@link OciStore#check} (size always,
 * content on request), {@link #openWriter} takes the blob's store-wide {@link BlobLock} (waiting for other threads
 * and processes) and resumes its {@code ingest/} partial, {@link #recordImage} is {@link OciStore#tag} (the
 * {@code index.json} entry, with the platform when the manifest was chosen from an index). Thread-safe.
 */
public final class OciDestination implements Destination {
    private final Path dir;
    private volatile OciStore store;

    public OciDestination(OciStore store) {
        this.store = Objects.requireNonNull(store, "store");
        this.dir = store.root();
    }

    private OciDestination(Path dir) {
        this.dir = dir;
    }

    /**
     * {@link OciStore#open} as a destination. A store directory that does not exist yet is created only when the
     * first blob is written, so a pull that fails before it has anything to store (a configuration error found
     * at the first request, every endpoint down) leaves no empty store behind; an existing store is opened (and
     * checked) at once.
     */
    public static OciDestination open(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        return Files.exists(root, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(root)
                ? new OciDestination(OciStore.open(root)) : new OciDestination(root);
    }

    /** The store written to (created now if it was not yet). */
    public OciStore store() {
        OciStore s = store;
        if (s == null) {
            synchronized (this) {
                s = store;
                if (s == null) {
                    s = OciStore.open(dir);
                    store = s;
                }
            }
        }
        return s;
    }

    @Override
    public BlobStatus stat(BlobDescriptor blob, boolean rehash) {
        OciStore s = store;
        if (s == null) {
            return BlobStatus.ABSENT; // nothing is stored before the store exists
        }
        BlobCheck c = s.check(blob.digest(), blob.size(), rehash);
        return c.present() ? new BlobStatus(true, c.size(), c.problem()) : BlobStatus.ABSENT;
    }

    @Override
    public BlobWriter openWriter(BlobDescriptor blob) {
        return OciBlobWriter.open(store(), blob);
    }

    @Override
    public void remove(String digest) {
        OciStore s = store;
        if (s != null) {
            s.removeBlob(digest);
        }
    }

    @Override
    public Optional<byte[]> read(String digest) {
        OciStore s = store;
        if (s == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(s.readBlob(digest));
        } catch (UncheckedIOException absent) {
            return Optional.empty();
        }
    }

    @Override
    public void recordImage(PulledImage image) {
        BlobDescriptor m = image.manifest();
        ImagePlatform p = image.platform();
        Platform platform = p == null ? null
                : new Platform(p.architecture(), p.os(), p.osVersion(), p.osFeatures(), p.variant());
        store().tag(image.reference(), new Descriptor(m.mediaType(), m.digest(), m.size(), null, null, platform));
    }

    /** The {@code index.json} entry of the reference points at the index (no platform: it has them all). */
    @Override
    public void recordImages(List<PulledImage> images) {
        BlobDescriptor top = images.get(0).top();
        store().tag(images.get(0).reference(), new Descriptor(top.mediaType(), top.digest(), top.size(), null, null,
                null));
    }

    @Override
    public String toString() {
        return "OciDestination[" + dir + "]";
    }
}
