package dev.jpull.cli.command;

import dev.jpull.Target;
import dev.jpull.cli.output.Output;
import dev.jpull.cli.HostileTextTest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.PullFailedException;
import dev.jpull.UsageException;
import dev.jpull.cli.Samples;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

class ErrorHandlerTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** A command that throws what it is given. */
    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        final RuntimeException toThrow;

        @Option(names = "--debug")
        boolean debug;

        Boom(RuntimeException toThrow) {
            this.toThrow = toThrow;
        }

        @Override
        public Integer call() {
            throw toThrow;
        }
    }

    private int run(RuntimeException e, String... args) {
        ErrorHandler handler = new ErrorHandler();
        return new CommandLine(new Boom(e)).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .setParameterExceptionHandler(handler).setExecutionExceptionHandler(handler).execute(args);
    }

    @Test
    void pullFailureExitsOneWithTheMessageOnOneLine() {
        var failure = new PullFailedException(Target.manifest("latest"), List.of(Samples.MANIFEST_503));

        assertThat(run(failure)).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("jpull: manifest latest: failed on every endpoint: "
                + "https://mirror.example.com/v2 -> server-error (HTTP 503): UNAVAILABLE: try later"
                + System.lineSeparator());
    }

    @Test
    void usageExceptionExitsTwo() {
        assertThat(run(new UsageException("bad thing"))).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("jpull: bad thing");
    }

    @Test
    void unexpectedExceptionIsAnInternalErrorWithoutStackTrace() {
        assertThat(run(new IllegalStateException("oops\nsecond line"))).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("jpull: internal error: java.lang.IllegalStateException: oops second "
                + "line (run with --debug for the stack trace)" + System.lineSeparator());
    }

    @Test
    void debugPrintsTheStackTrace() {
        assertThat(run(new IllegalStateException("oops"), "--debug")).isEqualTo(1);
        assertThat(err.toString()).startsWith("jpull: internal error: java.lang.IllegalStateException: oops")
                .contains("\tat dev.jpull.cli.command.ErrorHandlerTest");
    }

    @Test
    void hostileMessagesAreEscapedOnOneLineAndInTheStackTrace() {
        StringWriter raw = new StringWriter();
        IllegalStateException hostile = new IllegalStateException("oops\r\njpull: pulled x\u001b[2J",
                new RuntimeException("cause\njpull: pulled y\u0007"));
        ErrorHandler handler = new ErrorHandler();
        int code = new CommandLine(new Boom(hostile)).setOut(Output.of(new StringWriter())).setErr(Output.of(raw))
                .setParameterExceptionHandler(handler).setExecutionExceptionHandler(handler).execute("--debug");

        assertThat(code).isEqualTo(1);
        HostileTextTest.assertPrintable(raw.toString(), true);
        HostileTextTest.assertNoForgedLine(raw.toString());
        assertThat(raw.toString()).startsWith("jpull: internal error: java.lang.IllegalStateException: oops jpull: "
                + "pulled x\\x1b[2J").contains("\n\tat dev.jpull.cli.command.ErrorHandlerTest")
                .contains("Caused by: java.lang.RuntimeException: cause\\x0ajpull: pulled y\\x07");

        assertThat(run(new IllegalStateException("a\u001b[2J\u0007"))).isEqualTo(1);
        assertThat(err.toString()).startsWith("jpull: internal error: java.lang.IllegalStateException: a\\x1b[2J\\x07 ");
    }
}
