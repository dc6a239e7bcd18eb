package dev.jpull.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The line an interrupted pull prints ({@link PullInterruptIT}: the signals, with a real child JVM). */
class InterruptNoticeTest {
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final String C = "sha256:" + "c".repeat(64);

    @TempDir
    Path ingest;

    @Test
    void theStoreCountsWhatIsOnDiskForTheBlobsOfThisPull() throws IOException {
        Files.write(ingest.resolve("sha256-" + "a".repeat(64) + ".partial"), new byte[3000]);
        Files.write(ingest.resolve("sha256-" + "b".repeat(64) + ".partial"), new byte[2000]);
        Files.write(ingest.resolve("sha256-" + "d".repeat(64) + ".partial"), new byte[9999]); // another pull's
        Map<String, Long> unfinished = new LinkedHashMap<>();
        unfinished.put(A, 4000L); // the events count bytes still in the download's buffer
        unfinished.put(B, 2000L);
        unfinished.put(C, 0L); // started, nothing written

        assertThat(InterruptNotice.message(unfinished, ingest, null)).isEqualTo("interrupted: "
                + TraceListener.bytes(5000) + " of 2 blobs kept in " + ingest + "; run the same command to continue");
    }

    @Test
    void containerdKeepsThemInItsIngest() {
        assertThat(InterruptNotice.message(Map.of(A, 1_500_000L), null,
                "containerd:///run/containerd/containerd.sock?namespace=k8s.io"))
                .isEqualTo("interrupted: up to " + TraceListener.bytes(1_500_000) + " of 1 blob kept in "
                        + "containerd's ingest (containerd:///run/containerd/containerd.sock?namespace=k8s.io); run "
                        + "the same command to continue");
    }

    @Test
    void nothingKeptSaysSo() {
        assertThat(InterruptNotice.message(Map.of(C, 0L), ingest, null))
                .isEqualTo("interrupted before any blob data was kept; run the same command to pull again");
    }
}
