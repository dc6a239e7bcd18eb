package dev.jpull;

import java.util.List;

/**
 * The ordered endpoints for one image: mirrors first, then (unless disabled) the registry itself.
 *
 * @param warnings the non-fatal findings of the configuration this plan was made from (the file's own, e.g. an
 *                 unknown key, then those of resolving this reference, e.g. a skipped endpoint), each with its
 *                 file, line and column: the one channel through which plan sources report warnings
 */
public record EndpointPlan(ImageReference reference, List<Endpoint> endpoints, List<ConfigWarning> warnings) {
    public EndpointPlan {
        endpoints = List.copyOf(endpoints);
        warnings = List.copyOf(warnings);
    }

    /** A plan without warnings. */
    public EndpointPlan(ImageReference reference, List<Endpoint> endpoints) {
        this(reference, endpoints, List.of());
    }
}
