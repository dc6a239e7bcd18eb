package dev.jpull;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Jpull#inspect} found of an image without pulling it (or, from {@link Jpull#inspectStored}, of a pulled
 * one): the manifest the reference names, byte for byte, and the image's config, as {@code skopeo inspect} shows
 * them. For a multi-platform tag the manifest is the index, and the image is the one chosen for the platform.
 *
 * @param reference         the normalised reference
 * @param digest            digest of {@link #rawManifest()} (skopeo's {@code Digest}: the index of a multi-platform tag)
 * @param mediaType         media type of that manifest
 * @param platforms         the platforms an index lists ({@code os/arch[/variant]}, in its order); empty for an image
 * @param manifestDigest    digest of the image manifest described by {@link #image()}; null when there is none
 *                          (an index that was not walked)
 * @param manifestMediaType its media type; null when there is none
 * @param image             the image's config and layers; null when not fetched ({@link Jpull#inspectManifest})
 * @param endpoint          base URL of the endpoint that served the manifest; null for the store
 * @param attempts          the requests that failed, and the success after them (empty for the store)
 */
public record InspectResult(String reference, String digest, String mediaType, byte[] rawManifest,
                            List<String> platforms, String manifestDigest, String manifestMediaType,
                            byte[] rawConfig, ImageInfo image, String endpoint, List<Attempt> attempts) {
    public InspectResult {
        Objects.requireNonNull(digest, "digest");
        rawManifest = rawManifest.clone();
        rawConfig = rawConfig == null ? null : rawConfig.clone();
        platforms = List.copyOf(platforms);
        attempts = List.copyOf(attempts);
    }

    /** The manifest (or index) the reference names, exactly as the registry (or store) holds it. */
    @Override
    public byte[] rawManifest() {
        return rawManifest.clone();
    }

    /** The image's config blob, exactly as held; null when not fetched. */
    @Override
    public byte[] rawConfig() {
        return rawConfig == null ? null : rawConfig.clone();
    }

    /** The repository without tag or digest ({@code skopeo inspect}'s {@code Name}). */
    public String name() {
        return ImageReference.parse(reference).name();
    }

    /** True when the reference names an index (a multi-platform tag). */
    public boolean isIndex() {
        return dev.jpull.internal.oci.MediaTypes.isIndex(mediaType);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InspectResult r && reference.equals(r.reference) && digest.equals(r.digest)
                && Arrays.equals(rawManifest, r.rawManifest) && Arrays.equals(rawConfig, r.rawConfig)
                && Objects.equals(image, r.image) && Objects.equals(endpoint, r.endpoint)
                && attempts.equals(r.attempts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(reference, digest, Arrays.hashCode(rawManifest), endpoint);
    }

    @Override
    public String toString() {
        return "InspectResult[" + reference + " " + digest + " " + mediaType + " from " + endpoint + "]";
    }
}
