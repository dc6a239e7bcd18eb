package dev.jpull;

import java.util.Locale;
import java.util.Objects;

/**
 * What one request fetched: a manifest (by tag or digest), a blob (by digest) or a repository's tag list. {@link #label()} is the fixed
 * spelling of the interface ({@code attempts[].target} of {@code pull -o json}, docs/interface.md):
 * {@code manifest <ref>}, {@code blob <digest>} or {@code tags <repository>}. {@code reference} has its control characters escaped
 * ({@link Printable}).
 *
 * @param kind      manifest or blob
 * @param reference the tag or digest of a manifest, the digest of a blob
 */
public record Target(Kind kind, String reference) {

    /** Which kind of object a request fetched. */
    public enum Kind {
        MANIFEST, BLOB, TAGS;

        /** {@code manifest} or {@code blob}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Target {
        Objects.requireNonNull(kind, "kind");
        reference = Printable.escape(Objects.requireNonNull(reference, "reference"));
    }

    /** The manifest {@code reference} (a tag or a digest) points at. */
    public static Target manifest(String reference) {
        return new Target(Kind.MANIFEST, reference);
    }

    /** The tag list of {@code repository}. */
    public static Target tags(String repository) {
        return new Target(Kind.TAGS, repository);
    }

    /** The blob {@code digest}. */
    public static Target blob(String digest) {
        return new Target(Kind.BLOB, digest);
    }

    /** The digest of the object: a blob's, or a manifest's fetched by digest; null for a manifest by tag. */
    public String digest() {
        return kind == Kind.BLOB || kind == Kind.MANIFEST && reference.indexOf(':') > 0 ? reference : null;
    }

    /** {@code manifest <ref>}, {@code blob <digest>} or {@code tags <repository>}. */
    public String label() {
        return kind.label() + " " + reference;
    }

    /** {@link #label()}. */
    @Override
    public String toString() {
        return label();
    }
}
