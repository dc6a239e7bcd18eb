package dev.jpull.testdata;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback that makes a connection behave like a wide-area link: every byte is delayed by a one-way
 * delay in each direction, and the bytes towards the client share a {@link Link}'s bandwidth (a token bucket that
 * several proxies can share, as endpoints behind one uplink do). Pipelining is preserved: bytes keep flowing while
 * earlier ones are still "on the wire", and at most {@link #WINDOW} bytes per direction are in flight (a TCP
 * window), so a fast server is slowed down instead of buffered. Keep-alive, TLS and HTTP/2 pass through unchanged.
 *
 * <p>Modes ({@link Mode}): {@code GOOD}; {@code NEVER_ANSWER} (accepts, reads, never sends a byte);
 * {@code STALL_MID_BODY} (HTTP/1.1-aware towards the client: forwards headers and half of the first response body
 * of at least {@link #STALL_MIN_BODY} bytes, then nothing more on that connection). A 10x slower endpoint is a
 * {@code GOOD} proxy on a {@link Link} of a tenth of the rate; a closed port is {@link ClosedPort}.
 *
 * <p>Runs in tests ({@link #start}) and as a process for the benchmark scripts ({@link #main}). Loopback only.
 */
public final class WanProxy implements AutoCloseable {
    /** Bytes per direction and connection in flight at most. */
    public static final int WINDOW = 1 << 20;
    /** The smallest response body {@link Mode#STALL_MID_BODY} stalls in. */
    public static final long STALL_MIN_BODY = 256 * 1024;

    /** What the proxy does with each connection. */
    public enum Mode { GOOD, NEVER_ANSWER, STALL_MID_BODY }

    /**
     * A shared bottleneck: bytes leave it one after the other at {@code bytesPerSecond}, then pass the
     * {@code uplink} it feeds, if any (an endpoint's own rate behind the node's shared link). Thread-safe.
     */
    public static final class Link {
        /** How far behind the latest arrival a booking is kept (arrivals of concurrent flows are that close). */
        private static final long KEEP_NANOS = 10_000_000_000L;

        private final double nanosPerByte;
        private final Link uplink;
        /**
         * The link's future, start -> end of each transfer booked on it, not overlapping. A transfer takes the first
         * gap long enough at or after its arrival, so bytes that reach the link late (from a slow link feeding it)
         * do not hold up bytes that arrive earlier: the link is never idle while something waits, as a real one.
         */
        private final java.util.TreeMap<Long, Long> booked = new java.util.TreeMap<>();

        public Link(long bytesPerSecond) {
            this(bytesPerSecond, null);
        }

        public Link(long bytesPerSecond, Link uplink) {
            this.nanosPerByte = bytesPerSecond <= 0 ? 0 : 1e9 / bytesPerSecond;
            this.uplink = uplink;
        }

        /** A link of {@code mbit} megabits per second (0: unlimited). */
        public static Link mbit(double mbit) {
            return mbit(mbit, null);
        }

        /** A link of {@code mbit} megabits per second (0: unlimited) feeding {@code uplink} (null: none). */
        public static Link mbit(double mbit, Link uplink) {
            return new Link((long) (mbit * 1_000_000 / 8), uplink);
        }

        /** When {@code n} bytes that arrived at {@code arrival} have left the link (System.nanoTime). */
        long reserve(int n, long arrival) {
            long left = arrival;
            long need = (long) (n * nanosPerByte);
            if (need > 0) {
                synchronized (this) {
                    while (!booked.isEmpty() && booked.firstEntry().getValue() < arrival - KEEP_NANOS) {
                        booked.pollFirstEntry();
                    }
                    long start = arrival;
                    java.util.Map.Entry<Long, Long> before = booked.floorEntry(start);
                    if (before != null && before.getValue() > start) {
                        start = before.getValue();
                    }
                    for (java.util.Map.Entry<Long, Long> e : booked.tailMap(start, true).entrySet()) {
                        if (e.getKey() - start >= need) {
                            break; // the gap before this booking is long enough
                        }
                        start = Math.max(start, e.getValue());
                    }
                    left = start + need;
                    book(start, left);
                }
            }
            return uplink == null ? left : uplink.reserve(n, left);
        }

        /** Books [start, end), merged with the bookings it touches (a busy link keeps one long booking). */
        private void book(long start, long end) {
            java.util.Map.Entry<Long, Long> before = booked.floorEntry(start);
            long from = start;
            if (before != null && before.getValue() == start) {
                from = before.getKey();
            }
            Long next = booked.get(end);
            long to = next != null ? booked.remove(end) : end;
            booked.put(from, to);
        }
    }

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final long delayNanos;
    private final Link link;
    private final Mode mode;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private WanProxy(ServerSocket server, String targetHost, int targetPort, Duration oneWayDelay, Link link,
                     Mode mode) {
        this.server = server;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.delayNanos = oneWayDelay.toNanos();
        this.link = link;
        this.mode = mode;
    }

    /** A proxy on {@code 127.0.0.1:listenPort} (0: a free port) to {@code targetHost:targetPort}. */
    public static WanProxy start(int listenPort, String targetHost, int targetPort, Duration oneWayDelay, Link link,
                                 Mode mode) {
        InetAddress target;
        try {
            target = InetAddress.getByName(targetHost);
        } catch (IOException e) {
            throw new IllegalArgumentException("unknown target " + targetHost, e);
        }
        if (!target.isLoopbackAddress()) {
            throw new IllegalArgumentException("WanProxy forwards to loopback only, not to " + targetHost);
        }
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort), 128);
            WanProxy p = new WanProxy(s, targetHost, targetPort, oneWayDelay, link, mode);
            Thread t = new Thread(p::acceptLoop, "wan-proxy-" + s.getLocalPort());
            t.setDaemon(true);
            t.start();
            return p;
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1:" + listenPort, e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    public String hostPort() {
        return "127.0.0.1:" + port();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            sockets.add(client);
            daemon(() -> serve(client), "wan-conn-" + client.getPort());
        }
    }

    private void serve(Socket client) {
        try {
            client.setTcpNoDelay(true);
            if (mode == Mode.NEVER_ANSWER) {
                InputStream in = client.getInputStream();
                byte[] sink = new byte[8192];
                while (in.read(sink) >= 0) {
                    // read the requests, answer nothing
                }
                return;
            }
            Socket upstream = new Socket();
            sockets.add(upstream);
            upstream.setTcpNoDelay(true);
            upstream.connect(new InetSocketAddress(targetHost, targetPort), 10_000);
            HttpWatch watch = mode == Mode.STALL_MID_BODY ? new HttpWatch(STALL_MIN_BODY) : null;
            DelayLine up = new DelayLine(client.getInputStream(), upstream.getOutputStream(), delayNanos, null,
                    watch == null ? null : watch::request, null);
            DelayLine down = new DelayLine(upstream.getInputStream(), client.getOutputStream(), delayNanos, link,
                    null, watch);
            daemon(up::run, "wan-up-" + client.getPort());
            down.run();
        } catch (IOException e) {
            // a connection that could not be set up or ended: close both sides
        } finally {
            close(client);
        }
    }

    private static void daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
        sockets.remove(s);
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        sockets.forEach(this::close);
    }

    /**
     * {@code java -cp testdata.jar dev.jpull.testdata.WanProxy --target HOST:PORT [--delay-ms 20] [--uplink-mbit 0]
     * --listen PORT [--rate-mbit 100] [--mode good|never-answer|stall-mid-body] [--listen PORT ...]}: one proxy per
     * {@code --listen} (the {@code --rate-mbit} and {@code --mode} after it are its own), all to the same target
     * with the same delay, and all behind one shared link of {@code --uplink-mbit} (0: none, each endpoint only
     * limited by its own rate). Runs until killed; prints {@code listening 127.0.0.1:PORT} per proxy once they
     * accept connections.
     */
    public static void main(String[] args) throws InterruptedException {
        String target = null;
        long delayMs = 20;
        double uplinkMbit = 0;
        java.util.List<Object[]> proxies = new java.util.ArrayList<>(); // {port, mbit, mode}
        for (int i = 0; i + 1 < args.length; i += 2) {
            Object[] last = proxies.isEmpty() ? null : proxies.get(proxies.size() - 1);
            switch (args[i]) {
                case "--listen" -> proxies.add(new Object[] {Integer.parseInt(args[i + 1]), 100.0, Mode.GOOD});
                case "--target" -> target = args[i + 1];
                case "--delay-ms" -> delayMs = Long.parseLong(args[i + 1]);
                case "--uplink-mbit" -> uplinkMbit = Double.parseDouble(args[i + 1]);
                case "--rate-mbit" -> requireListen(last, args[i])[1] = Double.parseDouble(args[i + 1]);
                case "--mode" -> requireListen(last, args[i])[2] =
                        Mode.valueOf(args[i + 1].toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (target == null || !target.contains(":") || proxies.isEmpty()) {
            throw new IllegalArgumentException("--target HOST:PORT and at least one --listen PORT are required");
        }
        int colon = target.lastIndexOf(':');
        Link uplink = uplinkMbit > 0 ? Link.mbit(uplinkMbit) : null;
        for (Object[] spec : proxies) {
            WanProxy p = start((Integer) spec[0], target.substring(0, colon),
                    Integer.parseInt(target.substring(colon + 1)), Duration.ofMillis(delayMs),
                    Link.mbit((Double) spec[1], uplink), (Mode) spec[2]);
            System.out.println("listening " + p.hostPort());
        }
        System.out.flush();
        Thread.currentThread().join();
    }

    private static Object[] requireListen(Object[] last, String option) {
        if (last == null) {
            throw new IllegalArgumentException(option + " belongs to a --listen PORT given before it");
        }
        return last;
    }
}
