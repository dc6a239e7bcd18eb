package dev.jpull;

import java.util.Objects;

/**
 * One request against one endpoint that did not succeed at first try, or a success after a failure.
 * {@code target} (its {@linkplain Target#reference() reference}) and {@code error} have their control characters
 * escaped ({@link Printable}): a registry cannot forge output lines with them.
 *
 * @param endpoint   base URL of the endpoint (no credentials)
 * @param target     what was fetched; {@link Target#label()} is {@code manifest <ref>} or {@code blob <digest>}
 * @param outcome    classification
 * @param status     HTTP status, or 0 when no response was received
 * @param error      human-readable detail (registry error code and message, exception text); null on success
 * @param durationMs wall time of the attempt
 */
public record Attempt(String endpoint, Target target, Outcome outcome, int status, String error, long durationMs) {
    public Attempt {
        Objects.requireNonNull(target, "target");
        error = Printable.escape(error);
    }
}
