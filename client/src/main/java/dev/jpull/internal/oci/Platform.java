package dev.jpull.internal.oci;

import java.util.List;

/** Wire type: an image index entry's {@code platform} ({@code os.version}, {@code os.features}: see {@link Json}). */
public record Platform(String architecture, String os, String osVersion,
                       List<String> osFeatures, String variant) {

    /** {@code os/arch[/variant]}. */
    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null || variant.isEmpty() ? "" : "/" + variant);
    }
}
