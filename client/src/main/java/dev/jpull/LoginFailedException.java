package dev.jpull;

/**
 * {@code login} could not confirm the credentials: the registry (or its token service) rejected them, or could
 * not be asked (unreachable, an unexpected answer). Nothing was written. The message names the registry and what
 * it answered, never the password. The command line exits 1, as {@code skopeo login} does for a rejected password.
 */
public final class LoginFailedException extends JpullException {
    public LoginFailedException(String message) {
        super(message);
    }

    public LoginFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
