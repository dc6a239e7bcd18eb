package dev.jpull.internal.oci;

import java.util.List;

/** Wire type (bound by {@link Json}, which names its JSON fields): an image index entry's {@code platform}. */
public record Platform(String architecture, String os, String osVersion,
                       List<String> osFeatures, String variant) {

    /** {@code os/arch[/variant]}. */
    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null || variant.isEmpty() ? "" : "/" + variant);
    }
}
