package dev.jpull.spi;

import java.util.List;
import java.util.Optional;

/**
 * Where verified content goes: the one interface a pull writes through. The pull asks whether a blob is already
 * there ({@link #stat}), streams the missing ones into {@link #openWriter writers} that resume where an earlier
 * attempt or process stopped, commits each with its expected digest and size, and finally records the image
 * under its reference ({@link #recordImage}). The pull verifies every byte before it commits; a destination
 * checks the digest and size again at {@link BlobWriter#commit}.
 *
 * <p>Implementations:
 * <ul>
 *   <li>the OCI image layout store (jpull's default, {@code --store DIR}): {@code blobs/<alg>/<hex>}, partial
 *       downloads in {@code ingest/} that survive the process, a per-blob lock file that makes
 *       {@link #openWriter} wait for another thread or process writing the same blob, and {@code index.json}
 *       entries for {@link #recordImage};</li>
 *   <li>containerd's content store (next): {@link #stat} is {@code Info(digest)}; {@link #openWriter} is
 *       {@code Writer(WithRef(ref), WithDescriptor)} with a ref derived from the digest, retried while it answers
 *       {@code ErrUnavailable} ("ref is locked", as {@code content.OpenWriter} does), {@link BlobWriter#offset}
 *       is {@code Status().Offset} of the resumed ingest, {@link BlobWriter#commit} is
 *       {@code Commit(size, expected)}, {@link BlobWriter#abort} is {@code Abort(ref)}, all under an expiring
 *       lease the destination holds (as {@code ctr pull} does) so that nothing is collected before the image
 *       exists; {@link #recordImage} creates or updates the image ({@code images.Create}/{@code Update}) and
 *       sets the labels with {@code content.Update}: garbage-collection references
 *       ({@code containerd.io/gc.ref.content.*}) from the {@link PulledImage}'s config and layers, and
 *       {@code containerd.io/distribution.source.<host>} from its reference. Labels are thus the destination's
 *       business: the pull gives the structure, not containerd's label names;</li>
 *   <li>a mirror that serves clients while it downloads (next): its writer appends to a file that the server
 *       streams to waiting clients up to {@link BlobWriter#offset}, and {@link BlobWriter#commit} hands the
 *       committed blob to the server; {@link #stat} answers from what it serves; {@link #recordImage} makes the
 *       manifest reachable by tag.</li>
 * </ul>
 * None of them needs a change in the pull: a destination is given to {@code Jpull.Builder#destination}.
 *
 * <p>Thread safety: one destination serves the concurrent blob downloads of a pull, and concurrent pulls;
 * {@link BlobWriter}s are used by one thread each. Failures of the destination itself (I/O errors, content that
 * is not what it should be) are {@link dev.jpull.DestinationException}s (the OCI store's {@link dev.jpull.StoreException}s).
 */
public interface Destination {

    /**
     * What is stored under {@code blob}'s digest. A copy whose size is not {@code blob.size()} is bad; with
     * {@code rehash} its content is hashed too ({@code jpull pull --verify}), and a copy that does not hash to the
     * digest is bad. Does not wait for writers and removes nothing.
     */
    BlobStatus stat(BlobDescriptor blob, boolean rehash);

    /**
     * The exclusive writer of {@code blob}, blocking while another thread or process holds it. It may hold bytes
     * already ({@link BlobWriter#offset}). Once it is returned, {@link #stat} again: whoever held it before may
     * have committed the blob meanwhile (then {@link BlobWriter#close} it, which leaves nothing behind).
     */
    BlobWriter openWriter(BlobDescriptor blob);

    /** Removes the stored copy of {@code digest} (a bad one); call it while holding the blob's writer. */
    void remove(String digest);

    /**
     * The stored blob's bytes, for small blobs the pull reads back (an image config, to tell its platform); empty
     * when absent or when this destination cannot read content back.
     */
    Optional<byte[]> read(String digest);

    /** Points {@code image.reference()} at {@code image.manifest()}; every blob of the image is committed. */
    void recordImage(PulledImage image);

    /**
     * Points the reference at an index with several of its images, as a pull of every platform
     * ({@code Jpull.Builder#allPlatforms}) or of several named ones gives them: every image has the same reference
     * and the same top-level index ({@link PulledImage#top()}), whose bytes, those of every index below it and of
     * every manifest, config and layer are committed. The first image is the preferred platform's (the one to
     * unpack, where a destination unpacks). The default refuses: a destination that cannot name an index says so.
     *
     * @throws dev.jpull.DestinationException when this destination cannot record an index
     */
    default void recordImages(List<PulledImage> images) {
        throw new dev.jpull.DestinationException(this + " cannot record an image of several platforms; "
                + "pull one platform");
    }

    /**
     * A pull into this destination starts; {@link #endPull} follows, whether it succeeds or fails. containerd: the
     * first of concurrent pulls takes a lease that keeps what they write from the garbage collector until the
     * image is recorded, and the last one to end releases it. Default: nothing.
     */
    default void beginPull(String reference) {
    }

    /** The pull {@link #beginPull} announced has ended. Default: nothing. */
    default void endPull(String reference) {
    }
}
