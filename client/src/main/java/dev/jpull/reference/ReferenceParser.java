package dev.jpull.reference;

/** Parses image references (distribution/reference grammar). Implementation pending in this commit. */
final class ReferenceParser {
    private ReferenceParser() {
    }

    static ImageReference parse(String text) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
