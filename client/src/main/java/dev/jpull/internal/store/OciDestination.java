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
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The OCI image layout store as a pull's {@link Destination}: {@link #stat} is {@link OciStore#check} (size always,
 * content on request), {@link #openWriter} takes the blob's store-wide {@link BlobLock} (waiting for other threads
 * and processes) and resumes its {@code ingest/} partial, {@link #recordImage} is {@link OciStore#tag} (the
 * {@code index.json} entry, with the platform when the manifest was chosen from an index). Thread-safe.
 */
public final class OciDestination implements Destination {
    private final OciStore store;

    public OciDestination(OciStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** {@link OciStore#open} as a destination. */
    public static OciDestination open(Path dir) {
        return new OciDestination(OciStore.open(dir));
    }

    /** The store written to. */
    public OciStore store() {
        return store;
    }

    @Override
    public BlobStatus stat(BlobDescriptor blob, boolean rehash) {
        BlobCheck c = store.check(blob.digest(), blob.size(), rehash);
        return c.present() ? new BlobStatus(true, c.size(), c.problem()) : BlobStatus.ABSENT;
    }

    @Override
    public BlobWriter openWriter(BlobDescriptor blob) {
        return OciBlobWriter.open(store, blob);
    }

    @Override
    public void remove(String digest) {
        store.removeBlob(digest);
    }

    @Override
    public Optional<byte[]> read(String digest) {
        try {
            return Optional.of(store.readBlob(digest));
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
        store.tag(image.reference(), new Descriptor(m.mediaType(), m.digest(), m.size(), null, null, platform));
    }

    @Override
    public String toString() {
        return "OciDestination[" + store.root() + "]";
    }
}
