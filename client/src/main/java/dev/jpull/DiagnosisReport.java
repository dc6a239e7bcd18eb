package dev.jpull;

import java.util.List;

/**
 * What {@code jpull diagnose} found: one {@link EndpointDiagnosis} per endpoint of the plan, in plan order, and,
 * when more than one endpoint can serve the image, the {@link MirrorDrift} between them (else null).
 */
public record DiagnosisReport(ImageReference reference, List<EndpointDiagnosis> endpoints, MirrorDrift drift) {
    public DiagnosisReport {
        endpoints = List.copyOf(endpoints);
    }

    /** A report without drift comparison. */
    public DiagnosisReport(ImageReference reference, List<EndpointDiagnosis> endpoints) {
        this(reference, endpoints, null);
    }

    /** True when at least one endpoint can serve the image. */
    public boolean servable() {
        return endpoints.stream().anyMatch(e -> e.verdict() == Verdict.OK);
    }
}
