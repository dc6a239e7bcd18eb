package dev.jpull.cli.command;

/**
 * A command line that picocli accepted but jpull cannot run: options that exclude each other, an option value
 * out of range or naming nothing. The CLI's own cause, not the library's; {@link ErrorHandler} prints the message
 * and exits 2, like picocli's own usage errors.
 */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
