package dev.jpull;

/** Bad input from the user: unknown option value, malformed reference, bad configuration. Exit code 2. */
public class UsageException extends JpullException {
    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int exitCode() {
        return 2;
    }
}
