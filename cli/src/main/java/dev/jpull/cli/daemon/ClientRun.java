package dev.jpull.cli.daemon;

import dev.jpull.Jpull;
import dev.jpull.cli.option.Env;
import dev.jpull.cli.output.InterruptNotice;
import dev.jpull.cli.output.Output;
import dev.jpull.cli.output.Terminal;
import dev.jpull.cli.startup.DefaultCommand;
import dev.jpull.cli.startup.FastPull;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One command line of a launcher, run in the daemon as the launcher's own JVM would have run it: a pull
 * {@link FastPull} parses, or a query command ({@link #QUERIES}) through picocli; every other command line is
 * left to the launcher's JVM. The client's environment ({@link Env#process}), its working directory for relative
 * paths (options and configuration files), its stdout and stderr
 * ({@code /proc/PID/fd/1} and {@code 2}, opened by this process of the same user), its terminal for progress bars.
 * {@link #cancel} is the client's Ctrl-C: the interrupt notice goes out, then the pull is interrupted and prints
 * nothing more.
 */
final class ClientRun {
    /** Variables naming files: relative ones would be read against the daemon's directory, so the client runs them. */
    /** File type bits of {@code st_mode} (the {@code unix:mode} attribute). */
    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFREG = 0100000;
    private static final List<String> PATH_VARIABLES = List.of("HOME", "JPULL_STORE", "JPULL_CONFIG", "DOCKER_CONFIG",
            "REGISTRY_AUTH_FILE", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR");

    /**
     * Commands that only read (the store, containerd, registries) and print: run through picocli, with relative
     * file arguments resolved against the client's directory. Not those that read stdin or a terminal
     * ({@code login}), write files of their own ({@code save}, {@code load}, {@code config}), change the store
     * ({@code rmi}, {@code prune}) or run for long ({@code serve}, {@code daemon}).
     */
    static final java.util.Set<String> QUERIES = java.util.Set.of("digest", "inspect", "tags", "images", "resolve",
            "verify");

    /** What the run does with the client's environment, streams and terminal; returns the exit code. */
    private interface Runner {
        int run(Env env, PrintWriter out, PrintWriter err, boolean terminal);
    }

    private final long pid;
    private final String what;
    private final Runner runner;
    private final Env env;
    private final Gate out;
    private final Gate err;
    private final boolean terminal;
    private final Map<Runnable, Jpull> pulls = new ConcurrentHashMap<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Thread worker;
    private volatile boolean cancelled;

    private ClientRun(long pid, String what, Runner runner, Env env, Gate out, Gate err, boolean terminal) {
        this.pid = pid;
        this.what = what;
        this.runner = runner;
        this.env = env;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    /** Thrown when the client's own JVM should run the command line; the message says why (for the daemon's log). */
    static final class RunLocally extends Exception {
        RunLocally(String why) {
            super(why, null, false, false);
        }
    }

    /** The run of {@code request} for a client of user {@code uid}. */
    static ClientRun prepare(RunRequest request, int uid) throws RunLocally {
        Path proc = Path.of("/proc", Long.toString(request.pid()));
        Path cwd;
        try {
            if (((Integer) Files.getAttribute(proc, "unix:uid")) != uid) {
                throw new RunLocally("process " + request.pid() + " is another user's");
            }
            cwd = Files.readSymbolicLink(proc.resolve("cwd"));
            // the same file system view: a client in a chroot or another mount namespace names other files
            for (String view : new String[] {"root", "ns/mnt"}) {
                if (!Files.readSymbolicLink(proc.resolve(view)).equals(
                        Files.readSymbolicLink(Path.of("/proc/self").resolve(view)))) {
                    throw new RunLocally("process " + request.pid() + " has another " + view);
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new RunLocally("process " + request.pid() + ": " + e);
        }
        if (!cwd.isAbsolute() || cwd.toString().endsWith(" (deleted)")) {
            throw new RunLocally("the client's working directory is gone");
        }
        for (String name : PATH_VARIABLES) {
            String v = request.env().get(name);
            if (v != null && !v.isEmpty() && !v.startsWith("/")) {
                throw new RunLocally(name + " is a relative path");
            }
        }
        DefaultCommand command = DefaultCommand.of(request.args());
        if (command.error() != null) {
            throw new RunLocally("not a plain pull or a query");
        }
        String[] args = command.args();
        FastPull fast = FastPull.parse(args, cwd);
        String what;
        Runner runner;
        if (fast != null) {
            String containerd = fast.request().into().containerd();
            if (containerd != null && (containerd.startsWith("./") || containerd.startsWith("../"))) {
                throw new RunLocally("a relative --containerd socket");
            }
            what = "pull";
            runner = fast::run;
        } else if (args.length > 0 && QUERIES.contains(args[0])) {
            if (relativeContainerd(args)) {
                throw new RunLocally("a relative --containerd socket");
            }
            what = args[0];
            runner = (env, o, e, terminal) -> QueryRun.execute(args, env, o, e, terminal);
        } else {
            throw new RunLocally("not a plain pull or a query");
        }
        String home = request.env().get("HOME");
        Env env = Env.process(request.env(), home != null && !home.isEmpty() ? Path.of(home)
                : Path.of(System.getProperty("user.home")), cwd);
        Gate out = open(proc.resolve("fd/1"));
        Gate err;
        try {
            err = open(proc.resolve("fd/2"));
        } catch (RunLocally e) {
            out.closeQuietly();
            throw e;
        }
        return new ClientRun(request.pid(), what, runner, env, out, err,
                Terminal.isTerminal(env, proc.resolve("fd/2")));
    }

    /** Whether {@code args} name a relative {@code --containerd} socket (it would be the daemon's). */
    private static boolean relativeContainerd(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String value = args[i].startsWith("--containerd=") ? args[i].substring("--containerd=".length())
                    : args[i].equals("--containerd") && i + 1 < args.length ? args[i + 1] : null;
            if (value != null && (value.startsWith("./") || value.startsWith("../"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Opens the client's {@code fd} for writing: a terminal, an anonymous pipe or a device, not a regular file (this
     * process's offset would not be the shell's: the client writes those itself) and not a named pipe (opening one
     * whose reader is gone would wait for a new one). Write only, so that a pipe whose reader went away ({@code jpull
     * tags REPO | head}) fails the next write with {@code EPIPE} instead of filling up and holding the run; opening
     * an anonymous pipe never waits (Linux waits for a partner only on named ones). Write only also keeps a terminal
     * that is nobody's controlling terminal from becoming this daemon's (a session leader under systemd; Java cannot
     * pass {@code O_NOCTTY}, and Linux gives a terminal to an open without it only when it is open for reading): as
     * its controlling terminal, its hang-up would stop the daemon with {@code SIGHUP} (DaemonIT).
     */
    private static Gate open(Path fd) throws RunLocally {
        try {
            int type = (Integer) Files.getAttribute(fd, "unix:mode") & S_IFMT;
            if (type == S_IFREG) {
                throw new RunLocally(fd + " is a regular file");
            }
            if (type == S_IFIFO && !Files.readSymbolicLink(fd).toString().startsWith("pipe:[")) {
                throw new RunLocally(fd + " is a named pipe");
            }
            return new Gate(Channels.newOutputStream(FileChannel.open(fd, StandardOpenOption.WRITE)));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            throw new RunLocally("cannot open " + fd + ": " + e.getMessage());
        }
    }

    long pid() {
        return pid;
    }

    /** {@code pull}, or the query command run ({@code digest}, ...), for the daemon's log. */
    String what() {
        return what;
    }

    /** Runs the pull on the calling thread; returns its exit code (130 when the client went away first). */
    int run() {
        worker = Thread.currentThread();
        PrintWriter o = Output.of(out);
        PrintWriter e = Output.of(err);
        InterruptNotice.useHooks(new InterruptNotice.Hooks() {
            @Override
            public void add(Runnable notice, Jpull client) {
                pulls.put(notice, client);
            }

            @Override
            public void remove(Runnable notice) {
                pulls.remove(notice);
            }
        });
        try {
            int rc = runner.run(env, o, e, terminal);
            return cancelled ? 130 : rc;
        } finally {
            InterruptNotice.useHooks(null);
            o.flush();
            e.flush();
            Thread.interrupted(); // a cancel's interrupt must not reach the next use of this thread
            out.closeQuietly();
            err.closeQuietly();
            done.countDown();
        }
    }

    /** The client is gone (Ctrl-C, kill): the notice, then the pull stops and prints nothing more. */
    void cancel() {
        if (cancelled || done.getCount() == 0) {
            return;
        }
        cancelled = true;
        for (Runnable notice : pulls.keySet()) {
            notice.run();
        }
        out.shut();
        err.shut();
        pulls.values().forEach(Jpull::cancel);
        Thread w = worker;
        if (w != null) {
            w.interrupt();
        }
    }

    /** Waits up to {@code millis} for the run to end. */
    boolean awaitDone(long millis) throws InterruptedException {
        return done.await(millis, TimeUnit.MILLISECONDS);
    }

    /** A client stream that drops every write once {@link #shut}. */
    private static final class Gate extends FilterOutputStream {
        private volatile boolean shut;

        Gate(OutputStream out) {
            super(out);
        }

        void shut() {
            shut = true;
        }

        @Override
        public void write(int b) throws IOException {
            if (!shut) {
                out.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (!shut) {
                out.write(b, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            if (!shut) {
                out.flush();
            }
        }

        void closeQuietly() {
            try {
                out.close();
            } catch (IOException e) {
                // the client's descriptor: nothing to keep
            }
        }
    }
}
