package dev.jpull.internal.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Wire type: an image index entry's {@code platform}. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Platform(String architecture, String os, @JsonProperty("os.version") String osVersion,
                       @JsonProperty("os.features") List<String> osFeatures, String variant) {

    /** {@code os/arch[/variant]}. */
    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null || variant.isEmpty() ? "" : "/" + variant);
    }
}
