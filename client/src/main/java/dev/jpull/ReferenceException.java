package dev.jpull;

/** A malformed image reference. */
public final class ReferenceException extends UsageException {
    private final String reference;

    public ReferenceException(String reference, String problem) {
        super("invalid reference \"" + reference + "\": " + problem);
        this.reference = reference;
    }

    public String reference() {
        return reference;
    }
}
