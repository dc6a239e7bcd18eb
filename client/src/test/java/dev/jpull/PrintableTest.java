package dev.jpull;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.internal.auth.AuthException;
import dev.jpull.internal.registry.EndpointFailure;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one escape function, and the library's messages built from server text through it. */
class PrintableTest {
    private static final String HOSTILE = "a\r\njpull: pulled x\u001b[2J\u0007\u007f\u009b1m\u202e\u2066\u2028\u2029"
            + "\u200b\ufeff\ud800z";

    @Test
    void controlsBecomeVisibleEscapes() {
        assertThat(Printable.escape("\u0000\t\n\r\u001b\u007f")).isEqualTo("\\x00\\x09\\x0a\\x0d\\x1b\\x7f");
        assertThat(Printable.escape("\u0080\u009b\u009f")).isEqualTo("\\x80\\x9b\\x9f");
        assertThat(Printable.escape("\u202a\u202e\u2066\u2069\u200e\u061c\u00ad\u2028\u2029\ufeff"))
                .isEqualTo("\\u{202a}\\u{202e}\\u{2066}\\u{2069}\\u{200e}\\u{61c}\\xad\\u{2028}\\u{2029}\\u{feff}");
        assertThat(Printable.escape("x\ud800y\udc00")).isEqualTo("x\\u{d800}y\\u{dc00}");
        assertThat(Printable.escape("\udb40\udc01")).isEqualTo("\\u{e0001}"); // a tag character, format
    }

    @Test
    void printableTextIsKeptAsItIs() {
        String text = "sha256:0123 linux/amd64 caf\u00e9 \u65e5\u672c \ud83d\udc33 back\\slash \\x1b \ufffd";
        assertThat(Printable.escape(text)).isSameAs(text);
        assertThat(Printable.escape(null)).isNull();
        assertThat(Printable.isSafe(text)).isTrue();
    }

    @Test
    void escapingIsIdempotentAndLeavesNothingUnsafe() {
        String once = Printable.escape(HOSTILE);
        assertThat(Printable.escape(once)).isEqualTo(once);
        assertThat(once.codePoints()).noneMatch(Printable::isUnsafe);
        assertThat(once).startsWith("a\\x0d\\x0ajpull: pulled x\\x1b[2J\\x07").endsWith("\\u{d800}z");
    }

    @Test
    void oneLineJoinsOwnLineBreaksAndEscapesTheRest() {
        assertThat(Printable.oneLine("  while parsing\n  in line 3:\r\n   ^ \u001b[2J ")).isEqualTo(
                "while parsing in line 3: ^ \\x1b[2J");
        assertThat(Printable.oneLine("a\rb")).isEqualTo("a\\x0db");
        assertThat(Printable.oneLine("a\n\n  \nb")).isEqualTo("a b");
        assertThat(Printable.oneLine(null)).isNull();
    }

    @Test
    void messagesOfTheLibrarysExceptionsAndAttemptsAreEscaped() {
        assertSafe(new EndpointFailure(Outcome.NOT_FOUND, 404, HOSTILE).getMessage());
        assertSafe(new EndpointFailure(Outcome.TRUNCATED, 0, HOSTILE, new RuntimeException()).getMessage());
        assertSafe(new AuthException(401, HOSTILE).getMessage());
        assertSafe(new AuthException(HOSTILE, null).getMessage());
        assertSafe(new ConfigException(java.nio.file.Path.of("r.yaml"), HOSTILE).getMessage());
        Attempt a = new Attempt("http://m/v2", Target.manifest(HOSTILE), Outcome.NOT_FOUND, 404, HOSTILE, 1);
        assertSafe(a.target().label());
        assertSafe(a.error());
        assertSafe(new PullFailedException(Target.manifest("latest"), List.of(a), HOSTILE).getMessage());
        assertThat(new ConfigException("bad value\n  in line 3").getMessage()).isEqualTo("bad value in line 3");
    }

    private static void assertSafe(String message) {
        assertThat(message.codePoints()).noneMatch(Printable::isUnsafe);
        assertThat(message).contains("\\x1b[2J").doesNotContain("\n");
    }
}
