package dev.jpull;

import java.util.List;

/** The ordered endpoints for one image: mirrors first, then (unless disabled) the registry itself. */
public record EndpointPlan(ImageReference reference, List<Endpoint> endpoints) {
    public EndpointPlan {
        endpoints = List.copyOf(endpoints);
    }
}
