package dev.jpull;

/**
 * An image archive given to {@link Jpull#load} cannot be read: not a tar, neither an OCI layout nor a Docker
 * archive, truncated, or content that does not match its digests. The message names the file and what is wrong;
 * nothing of it was tagged in the store.
 */
public final class ArchiveException extends JpullException {
    public ArchiveException(String message) {
        super(message);
    }

    public ArchiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
