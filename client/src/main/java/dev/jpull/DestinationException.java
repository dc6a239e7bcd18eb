package dev.jpull;

/**
 * Where verified content goes cannot take it, or does not hold what was asked for: the content store
 * ({@link StoreException}, {@link NoSuchImageException}) or another destination jpull writes, such as the archive
 * of {@code save} or the directory a configuration is rendered to. The message names the file or place and what
 * went wrong. The endpoints are not at fault: pulling again without fixing the destination fails the same way.
 */
public class DestinationException extends JpullException {
    public DestinationException(String message) {
        super(message);
    }

    public DestinationException(String message, Throwable cause) {
        super(message, cause);
    }
}
