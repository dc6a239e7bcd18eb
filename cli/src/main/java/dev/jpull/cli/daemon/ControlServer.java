package dev.jpull.cli.daemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The daemon's control socket: a Unix socket (see {@link ControlSocket}) that runs launchers' pulls in this warm
 * JVM. Only processes of this user may connect (the socket's mode and directory, and each peer's credentials are
 * checked). {@code POST /v1/run} runs a {@link RunRequest} and answers its exit code, or {@code local} when the
 * launcher's own JVM must run it; {@code GET /v1/wait/PID} returns once the run of client PID has ended (the
 * launcher's Ctrl-C: the interrupt notice is out). At most {@code maxRuns} runs at once (more are left to their
 * launchers), at most 64 connections; a request must arrive within {@link #REQUEST_TIME}.
 */
public final class ControlServer implements AutoCloseable {
    static final Duration REQUEST_TIME = Duration.ofSeconds(10);
    private static final int MAX_CONNECTIONS = 64;
    private static final long WAIT_MILLIS = 10_000;

    private final Path socket;
    private final ServerSocketChannel server;
    private final UserPrincipal owner;
    private final int uid;
    private final Semaphore runs;
    private final Consumer<String> log;
    private final Map<Long, ClientRun> running = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jpull-daemon-timer");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    private ControlServer(Path socket, ServerSocketChannel server, int maxRuns, Consumer<String> log)
            throws IOException {
        this.socket = socket;
        this.server = server;
        this.owner = Files.getOwner(Path.of("/proc/self"));
        this.uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        this.runs = new Semaphore(maxRuns);
        this.log = log;
    }

    /**
     * Listens on {@code socket} (made by {@link ControlSocket#bind}) and serves it on a thread of its own.
     *
     * @param log one line per event (client runs, refusals), without a prefix
     */
    public static ControlServer start(Path socket, int maxRuns, Consumer<String> log) {
        ServerSocketChannel server = ControlSocket.bind(socket);
        try {
            ControlServer s = new ControlServer(socket, server, maxRuns, log);
            Thread t = new Thread(s::accept, "jpull-daemon-accept");
            t.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path socket() {
        return socket;
    }

    /** How many runs are in progress. */
    public int running() {
        return running.size();
    }

    private void accept() {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.accept("accept failed: " + e.getMessage());
                }
                return;
            }
            if (connections.incrementAndGet() > MAX_CONNECTIONS || !sameUser(ch)) {
                connections.decrementAndGet();
                closeQuietly(ch);
                continue;
            }
            Thread t = new Thread(() -> serve(ch), "jpull-daemon-client");
            t.start();
        }
    }

    private boolean sameUser(SocketChannel ch) {
        try {
            UnixDomainPrincipal peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
            if (peer.user().equals(owner)) {
                return true;
            }
            log.accept("refused a client of user " + peer.user().getName());
        } catch (IOException | UnsupportedOperationException e) {
            log.accept("refused a client: its credentials are unknown (" + e.getMessage() + ")");
        }
        return false;
    }

    private void serve(SocketChannel ch) {
        ScheduledFuture<?> deadline = timer.schedule(() -> closeQuietly(ch), REQUEST_TIME.toMillis(),
                TimeUnit.MILLISECONDS);
        try (ch) {
            ControlExchange request;
            try {
                request = ControlExchange.read(ch);
            } catch (ControlExchange.BadRequest e) {
                ControlExchange.respond(ch, e.status, e.getMessage() + "\n");
                return;
            } finally {
                deadline.cancel(false);
            }
            if (request.method().equals("POST") && request.target().equals("/v1/run")) {
                run(ch, request.body());
            } else if (request.method().equals("GET") && request.target().startsWith("/v1/wait/")) {
                await(ch, request.target().substring("/v1/wait/".length()));
            } else {
                ControlExchange.respond(ch, 404, "no such endpoint: " + request.method() + " "
                        + request.target().replaceAll("[^\\x21-\\x7e]", "?") + "\n");
            }
        } catch (IOException e) {
            // the client went away; its run, if any, was cancelled
        } finally {
            connections.decrementAndGet();
        }
    }

    private void run(SocketChannel ch, byte[] body) throws IOException {
        ClientRun run;
        try {
            RunRequest request = RunRequest.parse(body);
            if (!runs.tryAcquire()) {
                throw new ClientRun.RunLocally("already " + running.size() + " runs in progress");
            }
            try {
                run = ClientRun.prepare(request, uid);
            } catch (ClientRun.RunLocally e) {
                runs.release();
                throw e;
            }
        } catch (IllegalArgumentException e) {
            ControlExchange.respond(ch, 400, e.getMessage() + "\n");
            return;
        } catch (ClientRun.RunLocally e) {
            log.accept("left to the launcher: " + e.getMessage());
            ControlExchange.respond(ch, 200, "local\n");
            return;
        }
        long start = System.nanoTime();
        running.put(run.pid(), run);
        Thread watcher = new Thread(() -> watch(ch, run), "jpull-daemon-watch");
        watcher.setDaemon(true);
        watcher.start();
        int rc;
        try {
            rc = run.run();
        } finally {
            running.remove(run.pid(), run);
            runs.release();
        }
        log.accept("ran the " + run.what() + " of process " + run.pid() + ": exit " + rc + " in "
                + (System.nanoTime() - start) / 1_000_000 + " ms");
        ControlExchange.respond(ch, 200, rc + "\n");
    }

    /** Cancels {@code run} when its client closes the connection (the request is read: nothing else may come). */
    private static void watch(SocketChannel ch, ClientRun run) {
        try {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(256);
            while (ch.read(b) >= 0) {
                b.clear();
            }
        } catch (IOException e) {
            // closed by either side
        }
        run.cancel();
    }

    private void await(SocketChannel ch, String pid) throws IOException {
        ClientRun run = pid.matches("[0-9]{1,9}") ? running.get(Long.parseLong(pid)) : null;
        try {
            boolean ended = run == null || run.awaitDone(WAIT_MILLIS);
            ControlExchange.respond(ch, 200, ended ? "done\n" : "running\n");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops accepting and removes the socket; runs in progress go on until they end (see {@link #awaitRuns}). */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            log.accept("cannot remove " + socket + ": " + e.getMessage());
        }
        timer.shutdownNow();
    }

    /** Waits up to {@code grace} for the runs in progress to end; true when none is left. */
    public boolean awaitRuns(Duration grace) throws InterruptedException {
        long end = System.nanoTime() + grace.toNanos();
        for (ClientRun r : running.values()) {
            long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
            if (left <= 0 || !r.awaitDone(left)) {
                return false;
            }
        }
        return running.isEmpty();
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
