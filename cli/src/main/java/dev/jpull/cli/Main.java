package dev.jpull.cli;

import dev.jpull.cli.command.VersionProvider;
import dev.jpull.cli.startup.FastPull;
import dev.jpull.cli.output.Terminal;
import dev.jpull.cli.output.Output;
import dev.jpull.cli.command.JpullCommand;
import dev.jpull.cli.option.Env;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import picocli.CommandLine;

/**
 * The {@code jpull} command-line tool (CONTRACT.md). {@code jpull [OPTIONS] IMAGE} is {@code jpull pull [OPTIONS]
 * IMAGE}; see {@code jpull --help}.
 */
public final class Main {
    /** Names that select a subcommand; any other first word makes the command line a pull. */
    public static final Set<String> COMMANDS = Set.of("pull", "resolve", "diagnose", "save", "images", "rmi", "verify",
            "config", "completion", "help");

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
        // every byte on stdout and stderr goes through the sink, which lets no control character of server, store or
        // config text reach the terminal
        PrintWriter o = Output.of(out);
        PrintWriter e = Output.of(err);
        try {
            boolean terminal = err == System.err && Terminal.isStderr(env);
            String[] rewritten = withDefaultCommand(args);
            FastPull fast = FastPull.parse(rewritten);
            if (fast != null) {
                return fast.run(env, o, e, terminal);
            }
            return commandLine(env, o, e, terminal).execute(rewritten);
        } finally {
            o.flush();
            e.flush();
        }
    }

    /** picocli's command line of jpull (see {@link JpullCommand#commandLine}). */
    public static CommandLine commandLine(Env env, PrintWriter out, PrintWriter err) {
        return commandLine(env, out, err, false);
    }

    public static CommandLine commandLine(Env env, PrintWriter out, PrintWriter err, boolean terminal) {
        return JpullCommand.commandLine(env, out, err, terminal);
    }

    /**
     * Makes the command line picocli's shape: {@code pull} is inserted when no subcommand is named but an IMAGE is
     * given ({@code jpull alpine}, {@code jpull --config f.yaml alpine}), and a subcommand named after options moves
     * to the front ({@code jpull -c f.yaml resolve alpine}). Command lines without a positional argument
     * ({@code --help}, {@code --version}, nothing) are left to the top-level command.
     */
    public static String[] withDefaultCommand(String[] args) {
        boolean positional = false;
        boolean afterDoubleDash = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!afterDoubleDash && COMMANDS.contains(a)) {
                return i == 0 ? args : moveToFront(args, i);
            }
            if (afterDoubleDash || !a.startsWith("-")) {
                positional = true;
            }
            afterDoubleDash |= a.equals("--");
        }
        if (!positional) {
            return args;
        }
        String[] rewritten = new String[args.length + 1];
        rewritten[0] = "pull";
        System.arraycopy(args, 0, rewritten, 1, args.length);
        return rewritten;
    }

    private static String[] moveToFront(String[] args, int index) {
        String[] rewritten = new String[args.length];
        rewritten[0] = args[index];
        System.arraycopy(args, 0, rewritten, 1, index);
        System.arraycopy(args, index + 1, rewritten, index + 1, args.length - index - 1);
        return rewritten;
    }
}
