package dev.jpull.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.BlobResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressRendererTest {
    private static final String DIGEST = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final String OTHER = "sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
    private static final String EP = "http://127.0.0.1:5000/v2";
    private static final long MS = 1_000_000L;

    private final StringWriter buffer = new StringWriter();
    private final PrintWriter err = new PrintWriter(buffer);
    private final AtomicLong now = new AtomicLong(1_000 * MS);

    private ProgressRenderer renderer(boolean terminal) {
        return new ProgressRenderer(err, terminal, new TraceListener(err), now::get);
    }

    @Test
    void withoutATerminalEachBlobGetsAStartAndADoneLineAndNoEscapes() {
        ProgressRenderer r = renderer(false);
        r.blobStarted(DIGEST, 12_300_000, EP);
        for (int i = 1; i <= 10; i++) {
            now.addAndGet(100 * MS);
            r.blobProgress(DIGEST, i * 1_230_000L, 12_300_000, EP);
        }
        now.addAndGet(-200 * MS);
        r.blobDone(new BlobResult(DIGEST, 12_300_000, "layer", EP, false));
        r.blobDone(new BlobResult(OTHER, 500, "config", null, true));
        r.finish();

        assertThat(buffer.toString().split("\\R")).containsExactly(
                "jpull: blob sha256:0123456789ab (12.3MB) from " + EP + " ...",
                "jpull: blob sha256:0123456789ab 12.3MB from " + EP + " in 0.8 s");
        assertThat(buffer.toString()).doesNotContain("\033");
    }

    @Test
    void onATerminalBarsAreRedrawnInPlaceAtMostTenTimesASecond() {
        ProgressRenderer r = renderer(true);
        r.blobStarted(DIGEST, 10_000_000, EP);
        r.blobStarted(OTHER, 4_000_000, "https://mirror.example:8443/v2");
        String afterStart = buffer.toString();
        assertThat(afterStart).contains("sha256:0123456789ab  127.0.0.1:5000  [>")
                .contains("sha256:fedcba987654  mirror.example:8443  [>");

        now.addAndGet(100 * MS);
        r.blobProgress(DIGEST, 1_000_000, 10_000_000, EP); // first sample: the speed baseline
        int afterFirst = buffer.getBuffer().length();
        now.addAndGet(10 * MS);
        r.blobProgress(DIGEST, 2_000_000, 10_000_000, EP); // 10 ms later: not redrawn
        assertThat(buffer.getBuffer().length()).isEqualTo(afterFirst);
        now.addAndGet(990 * MS);
        r.blobProgress(DIGEST, 6_000_000, 10_000_000, EP); // 5 MB in 1 s since the baseline
        String redrawn = buffer.getBuffer().substring(afterFirst);
        assertThat(redrawn).startsWith("\r\033[2A\033[J")
                .contains("sha256:0123456789ab  127.0.0.1:5000  [============>       ]  6MB / 10MB  5MB/s");

        r.blobDone(new BlobResult(DIGEST, 10_000_000, "layer", EP, false));
        String done = buffer.getBuffer().substring(afterFirst + redrawn.length());
        // the bars are erased, the done line stays, the other bar is drawn again below it
        assertThat(done).startsWith("\r\033[2A\033[J")
                .contains("jpull: blob sha256:0123456789ab 10MB from " + EP + " in 1.1 s")
                .contains("sha256:fedcba987654  mirror.example:8443");
        int beforeFinish = buffer.getBuffer().length();
        r.finish();
        assertThat(buffer.getBuffer().substring(beforeFinish)).isEqualTo("\r\033[1A\033[J");
    }

    @Test
    void traceLinesAppearAboveTheBars() {
        ProgressRenderer r = renderer(true);
        r.blobStarted(DIGEST, 1000, EP);
        int before = buffer.getBuffer().length();
        r.warning("something odd");
        assertThat(buffer.getBuffer().substring(before)).startsWith("\r\033[1A\033[J" + "jpull: warning: something odd")
                .endsWith("[>                   ]  0B / 1kB\033[K\n");
    }

    @Test
    void barLineShape() {
        assertThat(ProgressRenderer.barLine(DIGEST, EP, 500, 1000, 0))
                .isEqualTo("sha256:0123456789ab  127.0.0.1:5000  [==========>         ]  500B / 1kB");
        assertThat(ProgressRenderer.barLine(DIGEST, EP, 1000, 1000, 2_500_000))
                .isEqualTo("sha256:0123456789ab  127.0.0.1:5000  [====================]  1kB / 1kB  2.5MB/s");
        assertThat(ProgressRenderer.shortDigest("sha256:abc")).isEqualTo("sha256:abc");
    }
}
