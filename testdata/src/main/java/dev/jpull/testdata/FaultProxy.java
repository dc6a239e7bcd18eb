package dev.jpull.testdata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A fault-injecting reverse proxy on {@code 127.0.0.1:<free port>}: plain HTTP in, plain HTTP out to one target
 * (typically a {@link RegistryFixture} in {@link RegistryFixture.Mode#PLAIN PLAIN} mode).
 *
 * <p>Each request is forwarded as received (method, path and query, end-to-end headers, {@code Host} rewritten
 * to the target; redirects are passed back, not followed), the response is read whole, and then sent back with
 * the {@link Fault} of the current rule applied when the rule's predicate accepts the request path (without
 * query). {@link Fault#NEVER_ANSWER}, {@link Fault#SERVER_ERROR} and {@link Fault#TOO_MANY_REQUESTS} are applied
 * before forwarding (the target never sees the request). Every
 * response carries {@code Connection: close} and a {@code Content-Length}; one request per connection.
 *
 * <p>Threads are named {@code fault-proxy-<port>-...}. The rule can be changed at any time ({@link #fault(Fault, Predicate)}); requests already in flight keep the
 * fault they were given. Every request is recorded ({@link #requests()}). Threads are daemons;
 * {@link #close()} closes every socket and waits briefly for the threads to end.
 */
public final class FaultProxy implements AutoCloseable {
    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final String name;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private final Thread acceptor;
    private volatile Rule rule = new Rule(Fault.NONE, p -> true);
    private volatile boolean closed;

    private record Rule(Fault fault, Predicate<String> paths) {
    }

    private FaultProxy(ServerSocket server, String targetHost, int targetPort) {
        this.server = server;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.name = "fault-proxy-" + server.getLocalPort();
        this.acceptor = new Thread(this::acceptLoop, name + "-accept");
        acceptor.setDaemon(true);
    }

    /** A proxy in front of {@code target} (must speak plain HTTP). */
    public static FaultProxy start(RegistryFixture target) {
        if (target.tls()) {
            throw new IllegalArgumentException("FaultProxy forwards plain HTTP only, not to " + target);
        }
        return start("127.0.0.1", target.port());
    }

    /** A proxy in front of {@code http://host:port}. */
    public static FaultProxy start(String host, int port) {
        try {
            ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            FaultProxy p = new FaultProxy(s, host, port);
            p.acceptor.start();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the fault proxy's port", e);
        }
    }

    /** A path predicate matching {@code GET/HEAD .../blobs/<digest>} of one blob. */
    public static Predicate<String> blob(String digest) {
        return path -> path.endsWith("/blobs/" + digest);
    }

    /** Applies {@code fault} to every request from now on. */
    public void fault(Fault fault) {
        fault(fault, path -> true);
    }

    /** Applies {@code fault} to requests whose path (without query) matches, from now on; others pass. */
    public void fault(Fault fault, Predicate<String> paths) {
        this.rule = new Rule(Objects.requireNonNull(fault), Objects.requireNonNull(paths));
    }

    /** Every request received so far, in arrival order. */
    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Forgets the recorded requests. */
    public void clearRequests() {
        requests.clear();
    }

    /** Listening port. */
    public int port() {
        return server.getLocalPort();
    }

    /** {@code 127.0.0.1:PORT}. */
    public String hostPort() {
        return "127.0.0.1:" + port();
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String baseUrl() {
        return "http://" + hostPort();
    }

    /** Stops accepting, closes every open connection (held ones included) and joins the threads (bounded). */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        sockets.forEach(FaultProxy::closeQuietly);
        long deadline = System.nanoTime() + 2_000_000_000L;
        List<Thread> all = new ArrayList<>(threads);
        all.add(acceptor);
        for (Thread t : all) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                break;
            }
            try {
                t.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "FaultProxy[" + baseUrl() + " -> http://" + targetHost + ":" + targetPort + ", " + rule.fault() + "]";
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            sockets.add(client);
            Thread t = new Thread(() -> {
                try {
                    new FaultConnection(this, client).run();
                } finally {
                    closeQuietly(client);
                    sockets.remove(client);
                    threads.remove(Thread.currentThread());
                }
            }, name + "-conn");
            t.setDaemon(true);
            threads.add(t);
            if (closed) {
                closeQuietly(client);
            }
            t.start();
        }
    }

    /** The fault for a request path under the current rule. */
    Fault faultFor(String path) {
        Rule r = rule;
        return r.paths().test(path) ? r.fault() : Fault.NONE;
    }

    void record(RecordedRequest r) {
        requests.add(r);
    }

    /** Opens a connection to the target, tracked so {@link #close()} can cut it. */
    Socket connectTarget() throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        if (closed) {
            closeQuietly(s);
        }
        s.connect(new java.net.InetSocketAddress(targetHost, targetPort), 5_000);
        s.setSoTimeout(60_000);
        return s;
    }

    void release(Socket s) {
        closeQuietly(s);
        sockets.remove(s);
    }

    String targetHostPort() {
        return targetHost + ":" + targetPort;
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
