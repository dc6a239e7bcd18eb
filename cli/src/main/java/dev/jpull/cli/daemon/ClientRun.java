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
 * One command line of a launcher, run in the daemon as the launcher's own JVM would have run it: the same
 * {@link FastPull} (the only command lines the daemon takes: every other one is left to the launcher's JVM), the
 * client's environment ({@link Env#process}), its working directory for relative paths, its stdout and stderr
 * ({@code /proc/PID/fd/1} and {@code 2}, opened by this process of the same user), its terminal for progress bars.
 * {@link #cancel} is the client's Ctrl-C: the interrupt notice goes out, then the pull is interrupted and prints
 * nothing more.
 */
final class ClientRun {
    /** Variables naming files: relative ones would be read against the daemon's directory, so the client runs them. */
    private static final List<String> PATH_VARIABLES = List.of("HOME", "JPULL_STORE", "JPULL_CONFIG", "DOCKER_CONFIG",
            "REGISTRY_AUTH_FILE", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR");

    private final long pid;
    private final FastPull pull;
    private final Env env;
    private final Gate out;
    private final Gate err;
    private final boolean terminal;
    private final Map<Runnable, Jpull> pulls = new ConcurrentHashMap<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Thread worker;
    private volatile boolean cancelled;

    private ClientRun(long pid, FastPull pull, Env env, Gate out, Gate err, boolean terminal) {
        this.pid = pid;
        this.pull = pull;
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
        FastPull pull = command.error() == null ? FastPull.parse(command.args(), cwd) : null;
        if (pull == null) {
            throw new RunLocally("not a plain pull");
        }
        String containerd = pull.request().into().containerd();
        if (containerd != null && (containerd.startsWith("./") || containerd.startsWith("../"))) {
            throw new RunLocally("a relative --containerd socket");
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
        return new ClientRun(request.pid(), pull, env, out, err, Terminal.isTerminal(env, proc.resolve("fd/2")));
    }

    /**
     * Opens the client's {@code fd} for writing: a terminal, a pipe or a device, not a regular file (this process's
     * offset would not be the shell's: the client writes those itself). Read and write, so that opening a pipe
     * never waits for a reader.
     */
    private static Gate open(Path fd) throws RunLocally {
        if (Files.isRegularFile(fd)) {
            throw new RunLocally(fd + " is a regular file");
        }
        try {
            return new Gate(Channels.newOutputStream(FileChannel.open(fd, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)));
        } catch (IOException | UnsupportedOperationException e) {
            throw new RunLocally("cannot open " + fd + ": " + e.getMessage());
        }
    }

    long pid() {
        return pid;
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
            int rc = pull.run(env, o, e, terminal);
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
