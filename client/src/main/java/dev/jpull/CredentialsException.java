package dev.jpull;

/**
 * Credentials cannot be obtained: a credentials file ({@code auth.json}, {@code ~/.docker/config.json}) is
 * unreadable or malformed, a credential helper is missing, fails, times out or answers malformed output, or an
 * {@code auth} value is not base64 of {@code user:password}. The message names the file, helper or config key,
 * never a secret. A registry that refuses valid credentials is not this: that is an {@code unauthorized} attempt
 * of a {@link PullFailedException}.
 */
public final class CredentialsException extends JpullException {
    public CredentialsException(String message) {
        super(message);
    }

    public CredentialsException(String message, Throwable cause) {
        super(message, cause);
    }
}
