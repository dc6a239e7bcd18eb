package dev.jpull.cli.command;

import dev.jpull.cli.daemon.ControlServer;
import dev.jpull.cli.daemon.ControlSocket;
import dev.jpull.cli.option.GraceOption;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jpull daemon}: a warm JVM that runs the launcher's pulls, so that they do not pay JVM start-up. */
@Command(name = "daemon",
        description = {
            "Run pulls for the jpull launcher in this process, which stays up: a pull then starts in "
                    + "milliseconds instead of a JVM's start-up, as `ctr` hands its pulls to containerd. "
                    + "The launcher uses the daemon when its socket exists and is the user's, for command lines "
                    + "of the form `jpull [pull] [--store DIR] [-c FILE] [-o text|json] [--verify] [-q] "
                    + "[--containerd [ADDRESS]] [--namespace NS] IMAGE`; the output, exit code and Ctrl-C are "
                    + "those of the launcher's own JVM. Every other command line, and JPULL_DAEMON=0, runs in the "
                    + "launcher's JVM as before.",
            "Only processes of this user can connect. One log line per run on stderr. SIGTERM or SIGINT: stop "
                    + "accepting, let runs in progress finish for --grace, exit 0.",
        })
public final class DaemonCommand implements Callable<Integer> {
    @ParentCommand
    JpullCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--socket", paramLabel = "PATH",
            description = "The control socket. Default: $JPULL_DAEMON_SOCKET, else $XDG_RUNTIME_DIR/jpull/daemon.sock, "
                    + "else (root) /run/jpull/daemon.sock; the launcher looks in the same places.")
    Path socket;

    @Option(names = "--max-runs", paramLabel = "N", defaultValue = "4",
            description = "Pulls at once; more run in their launcher's JVM. Default: ${DEFAULT-VALUE}.")
    int maxRuns;

    @Mixin
    GraceOption graceOption;

    /** -h, -V, the version and the help headings (last: the help lists -h and -V after the options). */
    @Mixin
    CommandDefaults commandDefaults;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (maxRuns < 1) {
            throw new UsageException("invalid --max-runs " + maxRuns + ": must be at least 1");
        }
        Path path = socket != null ? socket
                : ControlSocket.defaultPath(parent.env()::get, (Integer) Files.getAttribute(Path.of("/proc/self"),
                        "unix:uid"));
        if (path == null) {
            throw new UsageException("no control socket: give --socket PATH or set JPULL_DAEMON_SOCKET "
                    + "(XDG_RUNTIME_DIR is not set, and /run/jpull is root's)");
        }
        ControlServer server;
        try {
            server = ControlServer.start(path.toAbsolutePath(), maxRuns, line -> {
                synchronized (err) {
                    err.println("jpull daemon: " + line);
                    err.flush();
                }
            });
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new UsageException("--socket " + path + ": " + e.getMessage());
        }
        err.println("jpull daemon: listening on " + server.socket());
        err.flush();
        GraceOption.awaitStopSignal();
        server.close();
        if (server.running() > 0) {
            err.println("jpull daemon: stopping (up to " + graceOption.grace.toSeconds() + " s for "
                    + server.running() + " runs in progress)");
            err.flush();
        }
        server.awaitRuns(graceOption.grace);
        err.println("jpull daemon: stopped");
        err.flush();
        return 0;
    }
}
