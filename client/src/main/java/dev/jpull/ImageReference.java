package dev.jpull;

import dev.jpull.internal.reference.ReferenceParser;


/**
 * A normalised image reference (distribution/reference {@code ParseDockerRef} semantics).
 *
 * @param registry   registry host[:port] as written, {@code docker.io} for Docker Hub (never {@code index.docker.io})
 * @param repository repository path, e.g. {@code library/alpine}
 * @param tag        tag, or null when the reference is by digest
 * @param digest     digest ({@code sha256:<64 hex>}, {@code sha384:<96 hex>}, {@code sha512:<128 hex>}), or null; when both were given the tag is dropped
 */
public record ImageReference(String registry, String repository, String tag, String digest) {

    /** Parses and normalises {@code text}; throws {@link ReferenceException} when malformed. */
    public static ImageReference parse(String text) {
        return ReferenceParser.parse(text);
    }

    /** {@code registry/repository}. */
    public String name() {
        return registry + "/" + repository;
    }

    /** What goes after {@code /manifests/}: the digest if present, else the tag. */
    public String manifestReference() {
        return digest != null ? digest : tag;
    }

    /** Normalised string: {@code registry/repository:tag} or {@code registry/repository@digest}. */
    @Override
    public String toString() {
        return digest != null ? name() + "@" + digest : name() + ":" + tag;
    }
}
