package dev.jpull.cli.daemon;

import dev.jpull.cli.command.JpullCommand;
import dev.jpull.cli.option.Env;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * A query command line ({@link ClientRun#QUERIES}: {@code digest}, {@code inspect}, {@code tags}, ...) run in the
 * daemon through picocli, as the client's JVM would run it, except that every file argument ({@code --store},
 * {@code -c}, {@code --hosts-dir}, {@code --authfile}, ...: every {@link Path} option) that is relative names a
 * file in the client's working directory, not the daemon's.
 */
final class QueryRun {
    private QueryRun() {
    }

    static int execute(String[] args, Env env, PrintWriter out, PrintWriter err, boolean terminal) {
        CommandLine cl = JpullCommand.commandLine(env, out, err, terminal);
        Path cwd = env.cwd();
        if (cwd != null) {
            cl.registerConverter(Path.class, value -> cwd.resolve(value)); // Path.of's parsing, then the client's
        }
        return cl.execute(args);
    }
}
