package dev.jpull.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpull.Target;
import dev.jpull.Attempt;
import dev.jpull.BlobResult;
import dev.jpull.Outcome;
import dev.jpull.PullListener;
import dev.jpull.cli.HostileTextTest;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The sink of stdout and stderr ({@link Output}), the JSON writer and the progress bars: what reaches the terminal
 * carries no control character but jpull's own line feeds and ANSI sequences.
 */
class OutputTest {
    static final String HOSTILE = "x\r\njpull: pulled evil\u001b[2J\u0007\u009b1m\u202e";
    private final StringWriter raw = new StringWriter();
    private final Output out = Output.of(raw);

    @Test
    void printlnIsOneLineWhateverItsText() {
        out.println(HOSTILE);
        out.println((Object) ("obj" + HOSTILE));
        out.println(HOSTILE.toCharArray());
        assertThat(raw.toString().lines()).hasSize(3).allMatch(l -> l.contains("x\\x0d\\x0ajpull: pulled evil\\x1b[2J"
                + "\\x07\\x9b1m\\u{202e}"));
        HostileTextTest.assertPrintable(raw.toString());
    }

    @Test
    void printKeepsLineFeedsOnlyAndControlIsRaw() {
        out.print("table\nrow\u001b[2J\r\n");
        out.printf("%s%n", "\u0007");
        out.control("\r\u001b[2A\u001b[J");
        assertThat(raw.toString()).isEqualTo("table\nrow\\x1b[2J\\x0d\n\\x07\n\r\u001b[2A\u001b[J");
    }

    @Test
    void surrogatePairsSurviveSplitWritesAndLoneSurrogatesAreEscaped() {
        out.print('\ud83d');
        out.print('\udc33');
        out.print("\ud800");
        out.print("!");
        out.print('\udbff');
        out.control("");
        assertThat(raw.toString()).isEqualTo("\ud83d\udc33\\u{d800}!\\u{dbff}");
    }

    @Test
    void jsonStringValuesAndNamesDecodeToPrintableText() throws Exception {
        ObjectNode root = Json.object();
        root.put("error", HOSTILE);
        root.putObject("annotations").put("k\u001b[2J", "v\n");
        root.putArray("list").add(HOSTILE);
        String written = Json.write(root);

        JsonNode back = new ObjectMapper().readTree(written);
        HostileTextTest.assertPrintableJson(back);
        assertThat(back.path("error").asText()).isEqualTo("x\\x0d\\x0ajpull: pulled evil\\x1b[2J\\x07\\x9b1m\\u{202e}");
        assertThat(back.path("annotations").path("k\\x1b[2J").asText()).isEqualTo("v\\x0a");
        assertThat(written).startsWith("{\n  \"error\" : ").endsWith("}" + System.lineSeparator());
    }

    @Test
    void progressBarsOnATerminalEscapeTheirTextAndKeepTheirOwnAnsi() {
        AtomicLong now = new AtomicLong();
        String digest = "sha256:" + "4".repeat(64);
        String endpoint = "http://evil\u001b[2J\n/v2";
        ProgressRenderer p = new ProgressRenderer(out, true, new TraceListener(out), now::get);
        p.blobStarted(digest, 1000, endpoint);
        now.addAndGet(ProgressRenderer.REDRAW_NANOS);
        p.blobProgress(digest, 500, 1000, endpoint);
        p.attemptFailed(new Attempt(endpoint, Target.blob(digest), Outcome.TRUNCATED, 0, HOSTILE, 3));
        p.warning(HOSTILE);
        p.blobDone(new BlobResult(digest, 1000, "application/octet-stream", endpoint, false));
        p.finish();

        String own = raw.toString().replaceAll("\r\u001b\\[\\d+A\u001b\\[J", "").replace("\u001b[K", "");
        HostileTextTest.assertPrintable(own);
        HostileTextTest.assertNoForgedLine(own);
        assertThat(own).contains("evil\\x1b[2J\\x0a/v2");
    }

    @Test
    void progressLinesOffATerminalAreEscaped() {
        PullListener p = new ProgressRenderer(out, false, new TraceListener(out));
        String digest = "sha256:" + "4".repeat(64);
        p.blobStarted(digest, 1000, "http://evil\u001b[2J\n/v2");
        p.rateLimit("http://m/v2", "100\u001b[2J", "1\njpull: pulled x");
        HostileTextTest.assertPrintable(raw.toString());
        HostileTextTest.assertNoForgedLine(raw.toString());
    }
}
