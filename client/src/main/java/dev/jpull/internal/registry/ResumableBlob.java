package dev.jpull.internal.registry;

import dev.jpull.spi.BlobWriter;

/**
 * One blob being fetched into a destination's {@link BlobWriter}, across the attempts and endpoints of a pull: the
 * writer holds the bytes (and what an earlier process left; {@link #offset()} is where a {@code Range} request
 * continues), this object holds the failover state of the download: whether a kept prefix is still trusted and
 * how often one was rejected ({@link dev.jpull.FailoverPolicy#afterBlobFault},
 * {@link dev.jpull.FailoverPolicy#resumeAgain}). Not thread-safe: one download uses it.
 */
public final class ResumableBlob {
    private final BlobWriter writer;
    private final long resumedAt;
    private boolean resumable = true;
    private int rejectedPrefixes;
    private boolean announced;

    public ResumableBlob(BlobWriter writer) {
        this.writer = writer;
        this.resumedAt = writer.offset();
    }

    /** Bytes the writer held when this download began (left by an earlier run), 0 when it began at byte 0. */
    public long resumedAt() {
        return resumedAt;
    }

    /**
     * True once, for the first request of a download that continues an earlier run's bytes (to report it as
     * resumed); false for every later request and for a download that began at byte 0.
     */
    boolean firstResume() {
        boolean first = !announced && resumedAt > 0 && resumedAt < size();
        announced = true;
        return first;
    }

    /** The digest the bytes must hash to. */
    public String digest() {
        return writer.blob().digest();
    }

    /** The descriptor's size. */
    public long size() {
        return writer.blob().size();
    }

    /** Bytes held so far: where the next request continues ({@code Range: bytes=<offset>-}). */
    public long offset() {
        return writer.offset();
    }

    /** True when {@link #offset()} has reached {@link #size()}. */
    public boolean complete() {
        return offset() == size();
    }

    /** True when the blob is complete and hashes to {@link #digest()}. */
    public boolean verified() {
        return complete() && actualDigest().equals(digest());
    }

    /** The digest of the bytes held so far. */
    public String actualDigest() {
        return writer.digest();
    }

    /** Appends bytes; {@link IllegalStateException} when they would go past {@link #size()}. */
    public void append(byte[] bytes, int off, int len) {
        writer.write(bytes, off, len);
    }

    /** Throws every byte held away: the next request starts at byte 0. */
    public void reset() {
        writer.truncate();
    }

    /**
     * A resumed download did not verify: the bytes kept from an earlier body were wrong, and nobody can tell which
     * endpoint sent them. Throws everything away and keeps no prefix of a cut body from now on (each body then has
     * to be complete on its own), so an endpoint that keeps sending a short wrong body cannot spoil the next one.
     */
    public void rejectPrefix() {
        reset();
        resumable = false;
        rejectedPrefixes++;
    }

    /** False once a resumed prefix was rejected: a cut body is then thrown away instead of kept for a Range. */
    public boolean resumable() {
        return resumable;
    }

    /** How many times a resumed prefix was rejected (lets the caller give a clean start another round). */
    public int rejectedPrefixes() {
        return rejectedPrefixes;
    }

    @Override
    public String toString() {
        return "ResumableBlob[" + digest() + ", " + offset() + "/" + size() + "]";
    }
}
