package dev.jpull.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.Target;
import dev.jpull.Attempt;
import dev.jpull.Outcome;
import dev.jpull.PullResult;
import dev.jpull.cli.Samples;
import dev.jpull.RegistryConfig;
import dev.jpull.ImageReference;
import dev.jpull.Endpoint;
import dev.jpull.EndpointPlan;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceListenerTest {
    private final StringWriter buffer = new StringWriter();
    private final TraceListener trace = new TraceListener(new PrintWriter(buffer));

    private String[] lines() {
        return buffer.toString().split("\\R");
    }

    private static EndpointPlan mirrorThenRegistry() {
        return new EndpointPlan(new ImageReference("docker.io", "library/alpine", "latest", null), List.of(
                new Endpoint("https", "mirror.example.com", "/v2", "library/alpine", "docker.io",
                        RegistryConfig.EMPTY, null, false, "docker.io"),
                new Endpoint("https", "registry-1.docker.io", "/v2", "library/alpine", null, RegistryConfig.EMPTY,
                        null, true, null)));
    }

    @Test
    void failedAttemptNamesEndpointTargetOutcomeStatusAndError() {
        trace.plan(mirrorThenRegistry());
        trace.attemptFailed(Samples.MANIFEST_503);

        assertThat(lines()).containsExactly("jpull: https://mirror.example.com/v2 manifest latest: server-error "
                + "(HTTP 503) UNAVAILABLE: try later -> trying next endpoint");
    }

    @Test
    void failureWithoutResponseHasNoStatus() {
        trace.plan(mirrorThenRegistry());
        trace.attemptFailed(new Attempt(Samples.REGISTRY, Target.blob(Samples.LAYER1), Outcome.TIMEOUT, 0,
                "no bytes for 15s", 15_000));

        assertThat(lines()).containsExactly("jpull: https://registry-1.docker.io/v2 blob " + Samples.LAYER1
                + ": timeout no bytes for 15s -> no endpoint left");
    }

    @Test
    void rateLimitHeadersAreShown() {
        trace.rateLimit(Samples.REGISTRY, "100;w=21600", "76;w=21600");

        assertThat(lines()).containsExactly(
                "jpull: https://registry-1.docker.io/v2 rate limit: 76;w=21600 of 100;w=21600 pulls remaining");
    }

    @Test
    void recoveryAndManifestEndpointAreReported() {
        trace.recovered(Samples.MANIFEST_OK);
        trace.manifestResolved("latest", Samples.INDEX, "application/vnd.oci.image.index.v1+json", Samples.REGISTRY);

        assertThat(lines()).containsExactly(
                "jpull: https://registry-1.docker.io/v2 manifest latest: ok after failover",
                "jpull: manifest latest (" + Samples.INDEX + ") from https://registry-1.docker.io/v2");
    }

    @Test
    void eachWarningReportedIsPrinted() {
        // the library reports each warning once (a pull resolves its plan once): the trace hides nothing
        trace.warning("blob sha256:1 in the store is damaged");
        trace.warning("blob sha256:2 in the store is damaged");

        assertThat(lines()).containsExactly("jpull: warning: blob sha256:1 in the store is damaged",
                "jpull: warning: blob sha256:2 in the store is damaged");
    }

    @Test
    void aManifestFetchedByDigestNamesTheDigestOnce() {
        String digest = "sha256:" + "ab".repeat(32);
        trace.manifestResolved("latest", digest, "application/vnd.oci.image.index.v1+json", "http://r/v2");
        trace.manifestResolved(digest, digest, "application/vnd.oci.image.manifest.v1+json", "http://r/v2");

        assertThat(lines()).containsExactly("jpull: manifest latest (" + digest + ") from http://r/v2",
                "jpull: manifest " + digest + " from http://r/v2");
    }

    @Test
    void summaryCountsBlobsPerEndpointAndCached() {
        trace.summary(Samples.pullResult());

        assertThat(lines()).containsExactly("jpull: pulled docker.io/library/alpine:latest: "
                + "1 blob from https://registry-1.docker.io/v2, 1 blob from https://mirror.example.com/v2, "
                + "1 cached; 3.625MB in 1.2 s");
    }

    @Test
    void summaryOfAFullyCachedPull() {
        PullResult r = Samples.pullResult();
        PullResult cached = new PullResult(r.reference(), r.digest(), r.manifestDigest(), r.imageId(), r.platform(),
                r.endpoint(), List.of(), List.of(), 0, 5);

        assertThat(TraceListener.summaryLine(cached))
                .isEqualTo("jpull: pulled docker.io/library/alpine:latest: 0 cached; 0B in 0.0 s");
    }

    @Test
    void bytesAreInCrictlsStyleAsImagesPrintsThem() {
        assertThat(TraceListener.bytes(999)).isEqualTo("999B");
        assertThat(TraceListener.bytes(1500)).isEqualTo("1.5kB");
        assertThat(TraceListener.bytes(3_148_000)).isEqualTo("3.148MB").isEqualTo(Sizes.human(3_148_000));
        assertThat(TraceListener.bytes(2_000_000_000L)).isEqualTo("2GB");
    }
}
