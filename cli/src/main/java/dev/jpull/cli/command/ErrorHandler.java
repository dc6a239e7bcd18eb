package dev.jpull.cli.command;

import dev.jpull.JpullException;
import dev.jpull.cli.output.Output;
import dev.jpull.Printable;
import java.io.PrintWriter;
import java.io.Writer;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

/**
 * Turns every failure into a short message on stderr and an exit code, with no stack trace unless {@code --debug}:
 * usage errors exit 2, {@link JpullException}s exit with their {@link JpullException#exitCode()}, anything else is
 * an internal error and exits 1.
 */
public final class ErrorHandler implements IParameterExceptionHandler, IExecutionExceptionHandler {
    static final int USAGE = 2;
    static final int INTERNAL = 1;

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("jpull: " + oneLine(ex.getMessage()));
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        return report(ex, cmd.getErr(), debugRequested(parseResult));
    }

    /** Prints {@code ex} on {@code err} (its stack trace only when {@code debug}); returns the exit code. */
    public static int report(Exception ex, PrintWriter err, boolean debug) {
        int code;
        if (ex instanceof JpullException je) {
            err.println("jpull: " + oneLine(je.getMessage()));
            code = je.exitCode();
        } else {
            err.println("jpull: internal error: " + oneLine(String.valueOf(ex))
                    + (debug ? "" : " (run with --debug for the stack trace)"));
            code = INTERNAL;
        }
        if (debug) {
            printStackTrace(ex, err);
        }
        err.flush();
        return code;
    }

    /** Whether {@code --debug} was given to the command that ran. */
    private static boolean debugRequested(ParseResult parseResult) {
        ParseResult pr = parseResult;
        while (pr.hasSubcommand()) {
            pr = pr.subcommand();
        }
        return pr.hasMatchedOption("--debug");
    }

    /** One line, control characters (of server text in the message) escaped. */
    private static String oneLine(String message) {
        return message == null ? "" : Printable.oneLine(message);
    }

    /**
     * The stack trace, one {@code println} per line of it, so that the sink escapes line breaks inside a message;
     * only the tabs that indent frames are written as they are.
     */
    private static void printStackTrace(Exception ex, PrintWriter err) {
        ex.printStackTrace(new PrintWriter(Writer.nullWriter()) {
            @Override
            public void println(Object line) {
                String s = String.valueOf(line);
                int tabs = 0;
                while (tabs < s.length() && s.charAt(tabs) == '\t') {
                    tabs++;
                }
                synchronized (err) {
                    Output.control(err, "\t".repeat(tabs));
                    err.println(s.substring(tabs));
                }
            }
        });
    }
}
