package dev.jpull.cli.command;

import dev.jpull.cli.option.Env;
import dev.jpull.cli.output.Output;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** The top-level {@code jpull} command: holds the environment and the subcommands. */
@Command(name = "jpull",
        synopsisHeading = "Usage:%n",
        customSynopsis = {
            "  jpull [OPTIONS] IMAGE            same as: jpull pull [OPTIONS] IMAGE",
            "  jpull COMMAND [OPTIONS] IMAGE",
            "  jpull help COMMAND",
            "  jpull --help | --version",
        },
        description = {
            "Pulls container images the way a K3s node does: registries.yaml mirrors, per-request failover "
                    + "between endpoints, every byte verified, into an OCI image layout.",
        },
        commandListHeading = "%nCommands:%n",
        subcommands = {PullCommand.class, ResolveCommand.class, DiagnoseCommand.class, DigestCommand.class,
            InspectCommand.class, TagsCommand.class, SaveCommand.class,
            LoadCommand.class, ImagesCommand.class, RmiCommand.class, PruneCommand.class, VerifyCommand.class,
            ConfigCommand.class, ServeCommand.class, DaemonCommand.class, LoginCommand.class, LogoutCommand.class,
            CompletionCommand.class,
            HelpCommand.class},
        footerHeading = "%nEnvironment:%n",
        footer = {
            "  JPULL_CONFIG     default for --config",
            "  JPULL_STORE      default for --store",
            "  JPULL_JAVA_OPTS  extra JVM options for the ./jpull launcher",
            "  JPULL_DAEMON_SOCKET  the socket of `jpull daemon` (JPULL_DAEMON=0: the launcher never uses it)",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:pulled, or already up to date",
            "1:the pull failed on every endpoint (diagnose: no endpoint can serve IMAGE); also an internal error",
            "2:usage or configuration error (unknown option, malformed reference, bad config file)",
        })
public final class JpullCommand implements Callable<Integer> {
    private final Env env;
    private final boolean terminal;
    private OutputStream stdout;

    @Spec
    CommandSpec spec;

    /** -h, -V, the version and the help headings (last: the help lists -h and -V after the options). */
    @Mixin
    CommandDefaults commandDefaults;

    JpullCommand(Env env) {
        this(env, false);
    }

    /** @param terminal whether stderr is a terminal (progress bars instead of plain lines) */
    JpullCommand(Env env, boolean terminal) {
        this.env = env;
        this.terminal = terminal;
    }

    Env env() {
        return env;
    }

    boolean terminal() {
        return terminal;
    }

    /**
     * The process's stdout as bytes, for output that is not text ({@code save -o -}); null when jpull runs on a
     * writer only (a test's {@link #commandLine(Env, PrintWriter, PrintWriter, boolean)}).
     */
    OutputStream stdout() {
        return stdout;
    }

    /**
     * As {@link #commandLine(Env, PrintWriter, PrintWriter, boolean)}, with {@code stdout} the byte stream under
     * {@code out}, for {@code save -o -}.
     */
    public static CommandLine commandLine(Env env, PrintWriter out, PrintWriter err, boolean terminal,
                                          OutputStream stdout) {
        CommandLine cl = commandLine(env, out, err, terminal);
        ((JpullCommand) cl.getCommand()).stdout = stdout;
        return cl;
    }

    /**
     * The picocli command line of jpull with its error handling. (Here rather than in {@link dev.jpull.cli.Main}, so
     * that a run that never needs picocli, such as {@link dev.jpull.cli.startup.FastPull}'s, does not load picocli's
     * handler interfaces.)
     *
     * @param terminal whether stderr is a terminal (progress bars instead of plain lines)
     */
    public static CommandLine commandLine(Env env, PrintWriter out, PrintWriter err, boolean terminal) {
        ErrorHandler errors = new ErrorHandler();
        // help is plain text: the sink would show picocli's colour escapes as text
        return new CommandLine(new JpullCommand(env, terminal))
                .setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF))
                .setHelpFactory(JpullHelp::new) // lines broken at spaces only, never inside a path
                .setOut(out instanceof Output ? out : Output.of(out))
                .setErr(err instanceof Output ? err : Output.of(err))
                .setParameterExceptionHandler(errors)
                .setExecutionExceptionHandler(errors);
    }

    /** {@code jpull} alone: a usage error. */
    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        err.println("jpull: missing IMAGE or COMMAND");
        err.println("Try 'jpull --help' for more information.");
        return ErrorHandler.USAGE;
    }
}
