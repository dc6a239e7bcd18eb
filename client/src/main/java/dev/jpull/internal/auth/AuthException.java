package dev.jpull.internal.auth;

import dev.jpull.Printable;

/**
 * Authentication against an endpoint or its token service failed. Internal: the executor turns it into an
 * {@code unauthorized}/{@code forbidden} attempt and moves on. The message never contains secrets; control
 * characters in it (from a challenge or a token response) are escaped ({@link Printable}).
 *
 * @see #status()
 */
public final class AuthException extends Exception {
    private final int status;

    public AuthException(int status, String message) {
        super(Printable.escape(message));
        this.status = status;
    }

    public AuthException(String message, Throwable cause) {
        super(Printable.escape(message), cause);
        this.status = 0;
    }

    /** HTTP status of the failing token request, 0 when none. */
    public int status() {
        return status;
    }
}
