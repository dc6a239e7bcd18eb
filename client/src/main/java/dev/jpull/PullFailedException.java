package dev.jpull;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The pull failed on every endpoint. The message names the image (when known), what failed, every endpoint and
 * what it answered: {@code docker.io/library/alpine:latest: manifest latest failed on every endpoint: ...}.
 */
public final class PullFailedException extends JpullException {
    private final Target target;
    private final List<Attempt> attempts;
    private final String detail;
    private final ImageReference reference;

    public PullFailedException(Target target, List<Attempt> attempts) {
        this(target, attempts, null);
    }

    public PullFailedException(Target target, List<Attempt> attempts, String detail) {
        this(null, target, attempts, detail);
    }

    private PullFailedException(ImageReference reference, Target target, List<Attempt> attempts, String detail) {
        super(format(reference, target, attempts, detail));
        this.reference = reference;
        this.target = target;
        this.attempts = List.copyOf(attempts);
        this.detail = detail;
    }

    /** The same failure, its message starting with the image it happened in. */
    public PullFailedException in(ImageReference image) {
        PullFailedException e = new PullFailedException(image, target, attempts, detail);
        e.setStackTrace(getStackTrace());
        return e;
    }

    private static String format(ImageReference reference, Target target, List<Attempt> attempts, String detail) {
        StringBuilder sb = new StringBuilder();
        if (reference != null) {
            sb.append(reference).append(": ");
        }
        sb.append(target.label());
        if (detail != null) {
            sb.append(detail.startsWith("failed ") ? " " : ": ").append(detail);
        } else if (attempts.isEmpty()) {
            sb.append(": no endpoint to try");
        } else {
            sb.append(" failed on every endpoint: ");
            sb.append(attempts.stream()
                    .map(a -> a.endpoint() + " -> " + a.outcome().label()
                            + (a.status() > 0 ? " (HTTP " + a.status() + ")" : "")
                            + (a.error() != null ? ": " + a.error() : ""))
                    .collect(Collectors.joining("; ")));
        }
        return sb.toString();
    }

    /** The image whose pull failed, or null when the failure was not (yet) placed in one. */
    public ImageReference reference() {
        return reference;
    }

    /**
     * True when the request failed on every endpoint of the plan (the attempts say how), false for a failure
     * that probing the endpoints would not explain (e.g. an index without the platform).
     */
    public boolean everyEndpointFailed() {
        return !attempts.isEmpty() && (detail == null || detail.startsWith("failed "));
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
