package dev.jpull;

/**
 * Root of jpull's exception tree. Every exception carries the process exit code the CLI uses for it.
 * Messages are one line, name what was wrong and where, and never contain secrets.
 */
public abstract class JpullException extends RuntimeException {
    protected JpullException(String message) {
        super(message);
    }

    protected JpullException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Exit code of the command-line tool for this failure (1 pull failed, 2 usage or configuration). */
    public abstract int exitCode();
}
