package dev.jpull.cli.command;

import dev.jpull.Target;
import dev.jpull.cli.output.Output;
import dev.jpull.cli.HostileTextTest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.ConfigException;
import dev.jpull.CredentialsException;
import dev.jpull.DestinationException;
import dev.jpull.NoSuchImageException;
import dev.jpull.ImageReference;
import dev.jpull.PullFailedException;
import dev.jpull.ReferenceException;
import dev.jpull.StoreException;
import dev.jpull.cli.Samples;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
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
        assertThat(err.toString()).isEqualTo("jpull: manifest latest failed on every endpoint: "
                + "https://mirror.example.com/v2 -> server-error (HTTP 503): UNAVAILABLE: try later"
                + System.lineSeparator());
    }

    @Test
    void aPullFailureInAnImageNamesTheImageAndEndsWithTheDiagnoseCommand() {
        var failure = new PullFailedException(Target.manifest("latest"), List.of(Samples.MANIFEST_503))
                .in(ImageReference.parse("127.0.0.1:5000/library/alpine"));

        assertThat(run(failure)).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("jpull: 127.0.0.1:5000/library/alpine:latest: manifest latest failed "
                + "on every endpoint: https://mirror.example.com/v2 -> server-error (HTTP 503): UNAVAILABLE: try "
                + "later; run 'jpull diagnose 127.0.0.1:5000/library/alpine:latest' to probe each endpoint"
                + System.lineSeparator());
    }

    @Test
    void aFailureNoProbeExplainsDoesNotSuggestDiagnose() {
        var failure = new PullFailedException(Target.manifest("latest"), List.of(Samples.MANIFEST_503),
                "index sha256:ab lists no image for linux/s390x").in(ImageReference.parse("alpine"));

        assertThat(run(failure)).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("jpull: docker.io/library/alpine:latest: manifest latest: index "
                + "sha256:ab lists no image for linux/s390x" + System.lineSeparator());
    }

    /** Each cause the library names, with the exit code of docs/interface.md "Exit codes". */
    static List<Arguments> causes() {
        return List.of(
                Arguments.of(new ConfigException(Path.of("/etc/r.yaml"), 3, 7, "mirrors: expected a map"), 2,
                        "/etc/r.yaml:3:7: mirrors: expected a map"),
                Arguments.of(new ConfigException("HTTPS_PROXY is not a valid proxy URL"), 2,
                        "HTTPS_PROXY is not a valid proxy URL"),
                Arguments.of(new CredentialsException("credential helper docker-credential-x not found on PATH"), 2,
                        "credential helper docker-credential-x not found on PATH"),
                Arguments.of(new ReferenceException("UPPER/Case", "repository must be lowercase"), 2,
                        "invalid reference \"UPPER/Case\": repository must be lowercase"),
                Arguments.of(new StoreException("cannot write /s/index.json: No space left on device"), 2,
                        "cannot write /s/index.json: No space left on device"),
                Arguments.of(new DestinationException("cannot write /x.tar: it is a directory"), 2,
                        "cannot write /x.tar: it is a directory"),
                Arguments.of(new dev.jpull.ArchiveException("cannot load /x.tar: it is not a tar archive"), 2,
                        "cannot load /x.tar: it is not a tar archive"),
                Arguments.of(new NoSuchImageException("no such image: docker.io/library/nope:1"), 1,
                        "no such image: docker.io/library/nope:1"),
                Arguments.of(new PullFailedException(dev.jpull.Target.manifest("latest"), List.of(), null), 1,
                        "manifest latest: no endpoint to try"),
                Arguments.of(new UsageException("--hosts-dir and --config cannot be used together"), 2,
                        "--hosts-dir and --config cannot be used together"));
    }

    @ParameterizedTest
    @MethodSource("causes")
    void eachCauseHasItsExitCodeAndItsMessageOnOneLine(RuntimeException cause, int code, String message) {
        assertThat(ErrorHandler.exitCode(cause)).as(cause.getClass().getSimpleName()).isEqualTo(code);
        assertThat(run(cause)).isEqualTo(code);
        assertThat(err.toString()).isEqualTo("jpull: " + message + System.lineSeparator());
    }

    @Test
    void aBuilderPreconditionIsAnInternalError() {
        assertThat(run(new IllegalArgumentException("invalid concurrency 0: must be at least 1"))).isEqualTo(1);
        assertThat(err.toString()).startsWith("jpull: internal error: java.lang.IllegalArgumentException");
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
