package dev.jpull.internal.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.Attempt;
import dev.jpull.Outcome;
import dev.jpull.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServeMetricsTest {
    @Test
    void countsInThePrometheusTextFormat() {
        ServeMetrics m = new ServeMetrics();
        m.inFlight(() -> 2);
        m.request("GET", "blob", 200);
        m.request("GET", "blob", 200);
        m.served(true, 10);
        m.served(false, 5);
        Target t = Target.blob("sha256:" + "a".repeat(64));
        m.served(List.of(new Attempt("http://a/v2", t, Outcome.TIMEOUT, 0, "x", 1)), "http://b/v2");
        m.served(List.of(), "http://b/v2");

        String text = m.render();

        assertThat(text).contains("# TYPE jpull_serve_requests_total counter\n")
                .contains("jpull_serve_requests_total{method=\"GET\",kind=\"blob\",status=\"200\"} 2\n")
                .contains("jpull_serve_bytes_total{source=\"store\"} 10\n")
                .contains("jpull_serve_bytes_total{source=\"upstream\"} 5\n")
                .contains("jpull_serve_upstream_attempts_total{endpoint=\"http://a/v2\",outcome=\"timeout\"} 1\n")
                .contains("jpull_serve_upstream_attempts_total{endpoint=\"http://b/v2\",outcome=\"ok\"} 2\n")
                .contains("jpull_serve_upstream_failovers_total{endpoint=\"http://a/v2\",outcome=\"timeout\"} 1\n")
                .contains("jpull_serve_downloads_in_flight 2\n");
    }

    @Test
    void labelValuesAreEscaped() {
        assertThat(ServeMetrics.esc("a\"b\\c\nd\u0001")).isEqualTo("a\\\"b\\\\c\\nd?");
    }
}
