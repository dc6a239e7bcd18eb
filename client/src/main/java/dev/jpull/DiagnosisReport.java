package dev.jpull;

import java.util.List;

/** What {@code jpull diagnose} found: one {@link EndpointDiagnosis} per endpoint of the plan, in plan order. */
public record DiagnosisReport(ImageReference reference, List<EndpointDiagnosis> endpoints) {
    public DiagnosisReport {
        endpoints = List.copyOf(endpoints);
    }

    /** True when at least one endpoint can serve the image. */
    public boolean servable() {
        return endpoints.stream().anyMatch(e -> e.verdict() == Verdict.OK);
    }
}
