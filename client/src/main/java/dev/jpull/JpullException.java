package dev.jpull;


/**
 * Root of jpull's exception tree. Every exception carries the process exit code the CLI uses for it.
 * Messages are one line, name what was wrong and where, and never contain secrets; text from servers, the store
 * or config files in them has its control characters escaped ({@link Printable}).
 */
public abstract class JpullException extends RuntimeException {
    /** @param message one line; line breaks become spaces and control characters are escaped ({@link Printable}) */
    protected JpullException(String message) {
        super(Printable.oneLine(message));
    }

    protected JpullException(String message, Throwable cause) {
        super(Printable.oneLine(message), cause);
    }

    /** Exit code of the command-line tool for this failure (1 pull failed, 2 usage or configuration). */
    public abstract int exitCode();
}
