package dev.jpull.cli.command;

import dev.jpull.ArchiveException;
import dev.jpull.ConfigException;
import dev.jpull.CredentialsException;
import dev.jpull.DestinationException;
import dev.jpull.JpullException;
import dev.jpull.NoSuchImageException;
import dev.jpull.containerd.ContainerdRefusedException;
import dev.jpull.PullFailedException;
import dev.jpull.ReferenceException;
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
 * Turns every failure into a short message on stderr and an exit code, with no stack trace unless {@code --debug}.
 * The one place that maps causes to exit codes ({@link #exitCode}, docs/interface.md "Exit codes"): 2 for what the
 * user must fix before trying again (usage, configuration, credentials setup, reference, the store or another
 * destination), 1 for a pull that failed on every endpoint or an image the store does not hold; anything else is
 * an internal error and exits 1.
 */
public final class ErrorHandler implements IParameterExceptionHandler, IExecutionExceptionHandler {
    static final int USAGE = 2;
    static final int FAILED = 1;
    static final int INTERNAL = 1;

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("jpull: " + oneLine(ex.getMessage()));
        if (ex instanceof UnmatchedArgumentException u) {
            // not picocli's suggestions, which offer any option sharing a prefix (--tls-verify: --tls-timeout)
            for (String line : UnknownOptions.advice(u.getUnmatched(), cmd.getCommandSpec().optionsMap().keySet())) {
                err.println("jpull: " + line);
            }
        }
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
        int code = exitCode(ex);
        if (ex instanceof JpullException || ex instanceof UsageException) {
            err.println("jpull: " + message(ex));
        } else {
            err.println("jpull: internal error: " + oneLine(String.valueOf(ex))
                    + (debug ? "" : " (run with --debug for the stack trace)"));
        }
        if (debug) {
            printStackTrace(ex, err);
        }
        err.flush();
        return code;
    }

    /**
     * The exit code for {@code ex}: {@link #USAGE} (2) for the CLI's {@link UsageException} and the library's
     * {@link ConfigException}, {@link CredentialsException}, {@link ReferenceException} and
     * {@link DestinationException} (the store's {@code StoreException} among them) and {@link ArchiveException} (an
     * archive given to {@code load} that cannot be read); {@link #FAILED} (1) for
     * {@link PullFailedException}, {@link NoSuchImageException} (like {@code crictl rmi} of an unknown image) and
     * {@code ContainerdRefusedException} (containerd refused a commit or an unpack) and {@code LoginFailedException}
     * (the registry rejected a login's credentials);
     * {@link #INTERNAL} (1) for anything else, a {@link JpullException} of a cause not named here included.
     */
    public static int exitCode(Throwable ex) {
        if (ex instanceof PullFailedException || ex instanceof NoSuchImageException
                || ex instanceof ContainerdRefusedException || ex instanceof dev.jpull.LoginFailedException) {
            return FAILED;
        }
        if (ex instanceof UsageException || ex instanceof ConfigException || ex instanceof CredentialsException
                || ex instanceof ReferenceException || ex instanceof DestinationException
                || ex instanceof ArchiveException) {
            return USAGE;
        }
        return INTERNAL;
    }

    /**
     * The one-line message of a library or usage failure, as printed after {@code jpull: } (and as the {@code error}
     * of {@code pull -o json}): for a pull that failed on every endpoint, ending with the command that probes them.
     */
    public static String message(Exception ex) {
        return oneLine(ex.getMessage()) + nextStep(ex);
    }

    /** For a request that failed on every endpoint of an image: the command that says why, per endpoint. */
    private static String nextStep(Exception ex) {
        return ex instanceof PullFailedException p && p.reference() != null && p.everyEndpointFailed()
                ? "; run 'jpull diagnose " + Printable.oneLine(p.reference().toString()) + "' to probe each endpoint"
                : "";
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
