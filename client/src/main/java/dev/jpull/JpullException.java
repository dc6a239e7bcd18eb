package dev.jpull;

/**
 * Root of jpull's exception tree. Each subclass names a cause, not what a caller does about it:
 * {@link ConfigException} (the configuration jpull was given), {@link CredentialsException} (a credentials file
 * or helper), {@link ReferenceException} (a malformed image reference), {@link PullFailedException} (every
 * endpoint failed) and {@link DestinationException} (where content goes: {@link StoreException},
 * {@link NoSuchImageException}). How to report each, e.g. an exit code, is the caller's choice; the command-line
 * tool's mapping is its {@code ErrorHandler}. Messages are one line, name what was wrong and where, and never
 * contain secrets; text from servers, the store or config files in them has its control characters escaped
 * ({@link Printable}).
 */
public abstract class JpullException extends RuntimeException {
    /** @param message one line; line breaks become spaces and control characters are escaped ({@link Printable}) */
    protected JpullException(String message) {
        super(Printable.oneLine(message));
    }

    protected JpullException(String message, Throwable cause) {
        super(Printable.oneLine(message), cause);
    }
}
