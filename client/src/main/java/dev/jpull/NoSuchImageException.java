package dev.jpull;

/**
 * An image named on the command line is not in the store ({@code jpull save}, {@code jpull rmi}), or the store
 * lacks content it needs. Exit code 1, like {@code crictl rmi} and {@code docker save} of an unknown image: the
 * command line was well-formed, the store just does not hold what it names.
 */
public final class NoSuchImageException extends JpullException {
    public NoSuchImageException(String message) {
        super(message);
    }

    @Override
    public int exitCode() {
        return 1;
    }
}
