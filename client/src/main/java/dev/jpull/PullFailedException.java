package dev.jpull;

import java.util.List;
import java.util.stream.Collectors;

/** The pull failed on every endpoint. The message names every endpoint and what it answered. */
public final class PullFailedException extends JpullException {
    private final Target target;
    private final List<Attempt> attempts;

    public PullFailedException(Target target, List<Attempt> attempts) {
        this(target, attempts, null);
    }

    public PullFailedException(Target target, List<Attempt> attempts, String detail) {
        super(format(target, attempts, detail));
        this.target = target;
        this.attempts = List.copyOf(attempts);
    }

    private static String format(Target target, List<Attempt> attempts, String detail) {
        StringBuilder sb = new StringBuilder(target.label()).append(": ");
        if (detail != null) {
            sb.append(detail);
        } else if (attempts.isEmpty()) {
            sb.append("no endpoint to try");
        } else {
            sb.append("failed on every endpoint: ");
            sb.append(attempts.stream()
                    .map(a -> a.endpoint() + " -> " + a.outcome().label()
                            + (a.status() > 0 ? " (HTTP " + a.status() + ")" : "")
                            + (a.error() != null ? ": " + a.error() : ""))
                    .collect(Collectors.joining("; ")));
        }
        return sb.toString();
    }

    /** What failed; its {@link Target#label() label} is e.g. {@code manifest latest} or {@code blob sha256:...}. */
    public Target target() {
        return target;
    }

    /** Every attempt made for the failed target, in order. */
    public List<Attempt> attempts() {
        return attempts;
    }
}
