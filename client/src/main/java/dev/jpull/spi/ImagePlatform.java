package dev.jpull.spi;

import java.util.List;

/**
 * The platform of an image chosen from an index (the index entry's {@code platform}): {@code os},
 * {@code architecture} and the optional {@code variant}, {@code os.version} and {@code os.features}.
 */
public record ImagePlatform(String os, String architecture, String variant, String osVersion,
                            List<String> osFeatures) {
    public ImagePlatform {
        osFeatures = osFeatures == null ? null : List.copyOf(osFeatures);
    }

    /** {@code os/arch[/variant]}. */
    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null || variant.isEmpty() ? "" : "/" + variant);
    }
}
