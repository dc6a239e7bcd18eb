package dev.jpull.spi;

/**
 * What a {@link Destination} holds for one digest: nothing, a good copy, or a bad one (the wrong size, content
 * that does not hash to the digest when it was re-hashed, something that is not a blob such as a link).
 *
 * @param present something is stored under the digest
 * @param size    its size in bytes, -1 when absent
 * @param problem what is wrong with it ("has 3 bytes, not 5", "hashes to sha256:..."), null when it is good (as
 *                far as was checked) or absent
 */
public record BlobStatus(boolean present, long size, String problem) {
    /** Nothing is stored under the digest. */
    public static final BlobStatus ABSENT = new BlobStatus(false, -1, null);

    /** Present and good: the pull reports it cached and does not download it. */
    public boolean ok() {
        return present && problem == null;
    }

    /** Present but bad: the pull removes it ({@link Destination#remove}) and downloads it again. */
    public boolean bad() {
        return present && problem != null;
    }
}
