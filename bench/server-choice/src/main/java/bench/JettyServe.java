package bench;

import java.io.IOException;
import java.nio.file.Path;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty 12 (core API, no servlets) doing what jpull serve does. Args: PORT DIR. Properties: bench.threads
 * (QueuedThreadPool max, default 200 = Jetty's default), bench.idleMillis (connector idle timeout, default 30000 =
 * Jetty's default; it bounds both a half-sent request and a blocked write).
 */
public final class JettyServe extends Handler.Abstract {
    private final Blobs blobs;

    private JettyServe(Blobs blobs) {
        this.blobs = blobs;
    }

    public static void main(String[] args) throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(Integer.getInteger("bench.threads", 200));
        pool.setName("jetty");
        Server server = new Server(pool);
        HttpConfiguration cfg = new HttpConfiguration();
        cfg.setSendServerVersion(false);
        ServerConnector c = new ServerConnector(server, 1, 1, new HttpConnectionFactory(cfg));
        c.setHost("127.0.0.1");
        c.setPort(Integer.parseInt(args[0]));
        c.setIdleTimeout(Long.getLong("bench.idleMillis", 30000));
        server.addConnector(c);
        server.setHandler(new JettyServe(new Blobs(Path.of(args[1]))));
        server.start();
        System.out.println("listening " + c.getLocalPort());
    }

    @Override
    public boolean handle(Request req, Response resp, Callback cb) throws Exception {
        long t0 = System.nanoTime();
        String method = req.getMethod();
        String path = req.getHttpURI().getPath();
        int port = Request.getRemotePort(req);
        Body.ACTIVE.incrementAndGet();
        try {
            if (path.equals("/stats") || path.equals("/slow")) {
                if (path.equals("/slow")) {
                    JdkServe.sleep(2000);
                }
                Content.Sink.write(resp, true, "active=" + (Body.ACTIVE.get() - 1) + "\n", cb);
                return true;
            }
            String name = path.startsWith("/v2/x/blobs/") ? path.substring(12) : "";
            String abort = name.startsWith("abort-") ? name.substring(6) : null;
            Blobs.Source src = blobs.open(abort != null ? "64m" : name);
            if (src == null) {
                Response.writeError(req, resp, cb, 404);
                Body.log("jetty", method, path, 404, port, 0, t0, "ok");
                return true;
            }
            try (src) {
                Ranges r = Ranges.parse(req.getHeaders().get("Range"), src.size());
                if (r == null) {
                    resp.getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes */" + src.size());
                    Response.writeError(req, resp, cb, 416);
                    return true;
                }
                int status = r.partial() ? 206 : 200;
                resp.setStatus(status);
                resp.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
                resp.getHeaders().put(HttpHeader.CONTENT_LENGTH, r.length());
                if (r.partial()) {
                    resp.getHeaders().put(HttpHeader.CONTENT_RANGE, r.contentRange(src.size()));
                }
                if (method.equals("HEAD")) {
                    cb.succeeded();
                    Body.log("jetty", method, path, status, port, 0, t0, "ok");
                    return true;
                }
                Body body = new Body(() -> { });
                try {
                    body.send(src, r.first(), r.length(), abort != null ? 8L * Blobs.MIB : -1,
                            (buf, last) -> Content.Sink.write(resp, last, buf));
                } catch (IOException e) {
                    Body.log("jetty", method, path, status, port, body.sent, t0, "write failed: " + e);
                    cb.failed(e);
                    return true;
                }
                if (abort != null) {
                    Body.log("jetty", method, path, status, port, body.sent, t0, "abort by " + abort);
                    switch (abort) {
                        case "fail" -> cb.failed(new IOException("abort: digest mismatch"));
                        case "throw" -> throw new IOException("abort: digest mismatch");
                        default -> cb.succeeded(); // "succeed": completes a short body as if all was sent
                    }
                    return true;
                }
                cb.succeeded();
                Body.log("jetty", method, path, status, port, body.sent, t0, "ok");
                return true;
            }
        } finally {
            Body.ACTIVE.decrementAndGet();
        }
    }
}
