package dev.jpull;

/** A malformed image reference; the message quotes it and says what is wrong. */
public final class ReferenceException extends JpullException {
    private final String reference;

    public ReferenceException(String reference, String problem) {
        super("invalid reference \"" + reference + "\": " + problem);
        this.reference = reference;
    }

    public String reference() {
        return reference;
    }
}
