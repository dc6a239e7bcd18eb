package bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's built-in server doing what jpull serve does. Args: PORT DIR. Properties: bench.threads (0 = cached
 * pool, else a fixed pool of that size), bench.stallMillis (0 = off, else a watchdog closes the exchange of a
 * write call blocked that long: the JDK server has no write timeout of its own). The sun.net.httpserver.* and
 * jdk.httpserver.* properties of the JDK apply as given on the command line.
 */
public final class JdkServe {
    private final Blobs blobs;

    private JdkServe(Blobs blobs) {
        this.blobs = blobs;
    }

    public static void main(String[] args) throws Exception {
        JdkServe s = new JdkServe(new Blobs(Path.of(args[1])));
        int threads = Integer.getInteger("bench.threads", 0);
        ExecutorService pool = threads == 0 ? Executors.newCachedThreadPool() : Executors.newFixedThreadPool(threads);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 1024);
        server.createContext("/", s::handle);
        server.setExecutor(pool);
        long stall = Long.getLong("bench.stallMillis", 0);
        if (stall > 0) {
            Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "watchdog");
                t.setDaemon(true);
                return t;
            }).scheduleWithFixedDelay(() -> {
                long now = System.nanoTime();
                for (Body b : Body.RUNNING) {
                    long since = b.writingSince;
                    if (since != 0 && now - since > stall * 1_000_000) {
                        System.err.println("[jdk] watchdog: write blocked " + (now - since) / 1_000_000
                                + " ms, closing the exchange");
                        b.abort.run();
                    }
                }
            }, 500, 500, TimeUnit.MILLISECONDS);
        }
        server.start();
        System.out.println("listening " + server.getAddress().getPort());
    }

    private void handle(HttpExchange ex) throws IOException {
        long t0 = System.nanoTime();
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        int port = ex.getRemoteAddress().getPort();
        Body.ACTIVE.incrementAndGet();
        try {
            if (path.equals("/stats") || path.equals("/slow")) {
                if (path.equals("/slow")) {
                    sleep(2000);
                }
                byte[] b = ("active=" + (Body.ACTIVE.get() - 1) + "\n").getBytes(StandardCharsets.US_ASCII);
                ex.sendResponseHeaders(200, b.length);
                ex.getResponseBody().write(b);
                ex.close();
                return;
            }
            String name = path.startsWith("/v2/x/blobs/") ? path.substring(12) : "";
            String abort = name.startsWith("abort-") ? name.substring(6) : null;
            Blobs.Source src = blobs.open(abort != null ? "64m" : name);
            if (src == null) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                Body.log("jdk", method, path, 404, port, 0, t0, "ok");
                return;
            }
            try (src) {
                Ranges r = Ranges.parse(ex.getRequestHeaders().getFirst("Range"), src.size());
                if (r == null) {
                    ex.getResponseHeaders().set("Content-Range", "bytes */" + src.size());
                    ex.sendResponseHeaders(416, -1);
                    ex.close();
                    return;
                }
                int status = r.partial() ? 206 : 200;
                ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
                if (r.partial()) {
                    ex.getResponseHeaders().set("Content-Range", r.contentRange(src.size()));
                }
                if (method.equals("HEAD")) {
                    // length -1 = no body; the Content-Length we set ourselves is what HEAD answers
                    ex.getResponseHeaders().set("Content-Length", Long.toString(r.length()));
                    ex.sendResponseHeaders(status, -1);
                    ex.close();
                    Body.log("jdk", method, path, status, port, 0, t0, "ok");
                    return;
                }
                ex.sendResponseHeaders(status, r.length());
                OutputStream out = ex.getResponseBody();
                Body body = new Body(ex::close);
                try {
                    body.send(src, r.first(), r.length(), abort != null ? 8L * Blobs.MIB : -1,
                            (buf, last) -> out.write(buf.array(), buf.position(), buf.remaining()));
                } catch (IOException e) {
                    Body.log("jdk", method, path, status, port, body.sent, t0, "write failed: " + e);
                    ex.close();
                    return;
                }
                if ("throw".equals(abort)) {
                    Body.log("jdk", method, path, status, port, body.sent, t0, "abort by throwing from the handler");
                    throw new IOException("abort: digest mismatch");
                }
                if ("close".equals(abort)) {
                    Body.log("jdk", method, path, status, port, body.sent, t0, "abort by exchange.close() short");
                    ex.close();
                    return;
                }
                out.close();
                Body.log("jdk", method, path, status, port, body.sent, t0, "ok");
            }
        } finally {
            Body.ACTIVE.decrementAndGet();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
