package dev.jpull.spi;

/**
 * The exclusive, resumable write of one blob into a {@link Destination} (containerd's content {@code Writer}).
 * Whoever holds it is the only writer of that digest, across threads and, where the destination is shared,
 * processes. It may already hold bytes from an earlier attempt or process: {@link #offset()} says how many, and
 * the pull asks the registry only for the rest ({@code Range: bytes=<offset>-}).
 *
 * <p>Life cycle: {@link #write} (and {@link #truncate} to start over) until {@link #offset()} is the size, then
 * {@link #commit}; or {@link #close} without committing, which keeps the bytes for the next writer of the digest
 * to resume, or {@link #abort}, which discards them. {@link #close} always releases the right to write (after a
 * commit too), and is idempotent.
 *
 * <p>Not thread-safe: one thread uses it at a time. Local write failures (a full disk) are
 * {@link dev.jpull.DestinationException}s (the OCI store's {@link dev.jpull.StoreException}s); they are not the endpoint's fault and end the pull.
 */
public interface BlobWriter extends AutoCloseable {

    /** The blob this writer is for. */
    BlobDescriptor blob();

    /** Bytes held so far (containerd: {@code Status().Offset}); where the next write continues. */
    long offset();

    /**
     * Appends {@code len} bytes of {@code bytes} from {@code off}.
     *
     * @throws IllegalStateException when they would take the blob past its descriptor's size (nothing written)
     */
    void write(byte[] bytes, int off, int len);

    /** Throws away every byte held, so that writing starts again at offset 0 (containerd: {@code Truncate(0)}). */
    void truncate();

    /**
     * The digest of the bytes held so far, in the algorithm of {@link #blob()}'s digest (containerd:
     * {@code Digest()}). A resumed writer includes the bytes it held when it was opened.
     */
    String digest();

    /**
     * Makes the blob visible in the destination, atomically: readers see it whole or not at all. Checks first that
     * exactly {@code expectedSize} bytes are held and that they hash to {@code expectedDigest} (containerd:
     * {@code Commit(size, expected)}). When the destination already has the blob the bytes held are dropped.
     *
     * @throws IllegalStateException when the size or the digest do not match (nothing is committed)
     */
    void commit(String expectedDigest, long expectedSize);

    /** Discards the bytes held, so that nothing is left to resume (containerd: {@code Abort(ref)}); then closes. */
    void abort();

    /**
     * Releases the right to write; uncommitted bytes are kept for the next writer of this digest (containerd:
     * {@code Close()} without commit, the ingest stays).
     */
    @Override
    void close();
}
