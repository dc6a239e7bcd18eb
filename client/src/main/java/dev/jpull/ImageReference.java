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

    /**
     * What {@code jpull images FILTER} (like {@code crictl images FILTER}) lists: names in {@code filter}'s
     * repository, or exactly {@code filter} (normalised) when it has a tag or digest. A name that is not a
     * reference matches only itself. {@link ReferenceException} when {@code filter} is malformed.
     */
    public static java.util.function.Predicate<String> filter(String filter) {
        ImageReference wanted = parse(filter);
        String lastPart = filter.substring(filter.lastIndexOf('/') + 1);
        if (filter.contains("@") || lastPart.contains(":")) {
            return name -> name != null && (name.equals(filter) || name.equals(wanted.toString()));
        }
        return name -> {
            if (name == null) {
                return false;
            }
            try {
                return parse(name).name().equals(wanted.name());
            } catch (ReferenceException e) {
                return name.equals(filter); // a name jpull did not write, such as skopeo's "v1"
            }
        };
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
