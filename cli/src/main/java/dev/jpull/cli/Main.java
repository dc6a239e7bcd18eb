package dev.jpull.cli;

import dev.jpull.cli.command.JpullCommand;
import dev.jpull.cli.command.VersionProvider;
import dev.jpull.cli.option.Env;
import dev.jpull.cli.output.Output;
import dev.jpull.cli.output.Terminal;
import dev.jpull.cli.startup.DefaultCommand;
import dev.jpull.cli.startup.FastPull;
import dev.jpull.cli.startup.Warmup;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * The {@code jpull} command-line tool (docs/interface.md). {@code jpull [OPTIONS] IMAGE} is {@code jpull pull [OPTIONS]
 * IMAGE}; see {@code jpull --help}.
 */
public final class Main {
    /** Exit code of a usage error (ErrorHandler's). */
    private static final int USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs jpull with {@code args} against the process environment; returns the exit code (no System.exit). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, Env.system());
    }

    /** Runs jpull with {@code args} in {@code env}; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err, Env env) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // the most common probe, answered without building the command model (keeps it at JVM start-up cost)
            PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
            o.println(new VersionProvider().getVersion()[0]); // jpull's own constant text
            o.flush();
            return 0;
        }
        DefaultCommand command = DefaultCommand.of(args);
        FastPull fast = command.error() == null ? FastPull.parse(command.args()) : null;
        if (fast != null) {
            Warmup.start(); // as early as it can: it runs while this thread reads the configuration
        }
        // every byte on stdout and stderr goes through the sink, which lets no control character of server, store or
        // config text reach the terminal
        PrintWriter o = Output.of(out);
        PrintWriter e = Output.of(err);
        try {
            boolean terminal = err == System.err && Terminal.isStderr(env);
            if (command.error() != null) {
                e.println("jpull: " + command.error());
                e.println("Try 'jpull --help' for more information.");
                return USAGE;
            }
            String[] rewritten = command.args();
            if (fast != null) {
                return fast.run(env, o, e, terminal);
            }
            return JpullCommand.commandLine(env, o, e, terminal, out).execute(rewritten);
        } finally {
            o.flush();
            e.flush();
        }
    }

    /** picocli's command line of jpull (see {@link JpullCommand#commandLine}). */
    static CommandLine commandLine(Env env, PrintWriter out, PrintWriter err) {
        return commandLine(env, out, err, false);
    }

    static CommandLine commandLine(Env env, PrintWriter out, PrintWriter err, boolean terminal) {
        return JpullCommand.commandLine(env, out, err, terminal);
    }

    /** The command line as picocli parses it (see {@link DefaultCommand}); null for a command typo. */
    public static String[] withDefaultCommand(String[] args) {
        return DefaultCommand.of(args).args();
    }
}
