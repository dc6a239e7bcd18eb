package dev.jpull;

/**
 * An image named by the caller is not in the store ({@code save}, {@code rmi}), or the store lacks content it
 * needs. The request was well-formed, the store just does not hold what it names.
 */
public final class NoSuchImageException extends DestinationException {
    public NoSuchImageException(String message) {
        super(message);
    }
}
