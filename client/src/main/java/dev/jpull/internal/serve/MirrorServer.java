package dev.jpull.internal.serve;

import com.sun.net.httpserver.HttpServer;
import dev.jpull.MirrorRequest;
import dev.jpull.internal.pull.ObjectFetcher;
import dev.jpull.internal.registry.EndpointMemory;
import dev.jpull.internal.store.OciDestination;
import dev.jpull.internal.store.TagFile;
import dev.jpull.spi.PlanSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The local mirror over the JDK's HTTP server ({@code com.sun.net.httpserver}; why this one:
 * {@code bench/server-choice/README.md}): binds, assembles the responders over one store, one set of shared
 * downloads and one endpoint memory, and stops gracefully. Client connections are served by an elastic pool of
 * threads (a streaming client holds one; the connection cap bounds them); the server bounds the time to read a request's headers and closes idle
 * keep-alive connections ({@link #bounds}); a watchdog cuts a client that stops reading for {@code clientStall}.
 */
public final class MirrorServer {
    /** Connections at once (each may hold a thread); more are closed at once by the JDK server. */
    static final int MAX_CONNECTIONS = 1024;

    /** What the mirror is asked to be. */
    public record Settings(InetSocketAddress listen, String defaultRegistry, int maxDownloads, Duration memoryTtl,
                           Duration streamAfter, Duration clientStall, Consumer<MirrorRequest> accessLog,
                           boolean staleTags, Consumer<String> warnings) {
    }

    private final HttpServer server;
    private final ExecutorService clients;
    private final Downloads downloads;
    private final java.util.concurrent.ScheduledExecutorService watchdog;

    private MirrorServer(HttpServer server, ExecutorService clients, Downloads downloads,
                         java.util.concurrent.ScheduledExecutorService watchdog) {
        this.server = server;
        this.clients = clients;
        this.downloads = downloads;
        this.watchdog = watchdog;
    }

    /**
     * Starts serving; returns once the socket is bound.
     *
     * @param fetchers builds the fetcher of upstream objects over the mirror's endpoint memory
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static MirrorServer start(Settings settings, Function<EndpointMemory, ObjectFetcher> fetchers,
                                     PlanSource plans, Path storeDir) {
        bounds();
        OciDestination destination = OciDestination.open(storeDir);
        ServeMetrics metrics = new ServeMetrics();
        ObjectFetcher fetcher = fetchers.apply(new LiveMemory(settings.memoryTtl()));
        Downloads downloads = new Downloads(fetcher, destination, metrics, settings.maxDownloads());
        metrics.inFlight(downloads::inFlight);
        KnownBlobs known = new KnownBlobs();
        Fetching fetching = new Fetching(fetcher, metrics);
        HttpServer server;
        try {
            server = HttpServer.create(settings.listen(), 128);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + settings.listen() + ": " + e.getMessage(), e);
        }
        Upstream upstream = new Upstream(plans, server.getAddress());
        MirrorHandler handler = new MirrorHandler(settings.defaultRegistry(), upstream,
                new ManifestResponder(destination.store(), known, fetching,
                        settings.staleTags() ? TagFile.open(storeDir, settings.warnings()) : null, metrics),
                new BlobResponder(destination.store(), downloads, known, fetching, metrics,
                        settings.streamAfter() == null ? Long.MAX_VALUE : settings.streamAfter().toMillis()),
                new TagsResponder(fetching), metrics,
                settings.accessLog());
        server.createContext("/", handler);
        AtomicInteger n = new AtomicInteger();
        // elastic: the JDK server reads a request on the handler's thread, so a fixed pool lets a few half-sent
        // requests starve containerd's (measured: bench/server-choice); the connection cap bounds the threads
        ThreadPoolExecutor clients = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "jpull-serve-client-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        server.setExecutor(clients);
        server.start();
        var watchdog = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jpull-serve-watchdog");
            t.setDaemon(true);
            return t;
        });
        long stall = settings.clientStall().toNanos();
        long period = Math.max(50, Math.min(5_000, settings.clientStall().toMillis() / 2));
        watchdog.scheduleWithFixedDelay(() -> handler.cutStalled(stall), period, period, TimeUnit.MILLISECONDS);
        return new MirrorServer(server, clients, downloads, watchdog);
    }

    /**
     * The JDK server's own bounds, unless the caller set them (measured in bench/server-choice): 30 s to receive a
     * request's line and headers, counted from its first byte (a half-sent or trickled request is disconnected),
     * idle and silent connections closed after 30 s (checked every 10 s), at most 200 request headers, at most
     * {@link #MAX_CONNECTIONS} connections. Never {@code maxRspTime}: it caps a whole response, and would cut a
     * long blob that is progressing.
     */
    private static void bounds() {
        System.getProperties().putIfAbsent("sun.net.httpserver.maxReqTime", "30");
        System.getProperties().putIfAbsent("sun.net.httpserver.idleInterval", "30");
        System.getProperties().putIfAbsent("sun.net.httpserver.maxReqHeaders", "200");
        System.getProperties().putIfAbsent("jdk.httpserver.maxConnections", Integer.toString(MAX_CONNECTIONS));
    }

    /** The bound address (the real port when asked for port 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /**
     * Stops accepting connections, lets the requests in progress finish for up to {@code grace} (downloads carry
     * on meanwhile), then cuts what is left; partial downloads stay in the store for the next run to resume.
     */
    public void stop(Duration grace) {
        long seconds = Math.max(0, (grace.toMillis() + 999) / 1000);
        server.stop((int) Math.min(Integer.MAX_VALUE, seconds));
        downloads.shutdown(1000);
        watchdog.shutdownNow();
        clients.shutdownNow();
    }
}
