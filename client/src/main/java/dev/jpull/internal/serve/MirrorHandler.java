package dev.jpull.internal.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.jpull.ConfigException;
import dev.jpull.MirrorRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Every request of the mirror: {@code /healthz}, {@code /metrics}, and the read-only part of the distribution API
 * ({@code /v2/}, manifests, blobs; other methods 405 {@code UNSUPPORTED}); one {@link MirrorRequest} per request
 * to the access log. A request with a body is refused (413) without reading it.
 */
final class MirrorHandler implements HttpHandler {
    private final String defaultRegistry;
    private final Upstream upstream;
    private final ManifestResponder manifests;
    private final BlobResponder blobs;
    private final TagsResponder tags;
    private final ServeMetrics metrics;
    private final Consumer<MirrorRequest> accessLog;
    private final java.util.Set<Reply> active = java.util.concurrent.ConcurrentHashMap.newKeySet();

    MirrorHandler(String defaultRegistry, Upstream upstream, ManifestResponder manifests, BlobResponder blobs,
                  TagsResponder tags, ServeMetrics metrics, Consumer<MirrorRequest> accessLog) {
        this.defaultRegistry = defaultRegistry;
        this.upstream = upstream;
        this.manifests = manifests;
        this.blobs = blobs;
        this.tags = tags;
        this.metrics = metrics;
        this.accessLog = accessLog;
    }

    @Override
    public void handle(HttpExchange exchange) {
        long start = System.nanoTime();
        Reply reply = new Reply(exchange);
        active.add(reply);
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        String registry = null;
        String kind = "other";
        try {
            try {
                if (path.equals("/healthz") || path.equals("/metrics")) {
                    kind = path.substring(1);
                    byte[] body = (path.equals("/healthz") ? "ok\n" : metrics.render()).getBytes(StandardCharsets.UTF_8);
                    reply.send(200, "text/plain; version=0.0.4; charset=utf-8", body);
                    return;
                }
                if (!method.equals("GET") && !method.equals("HEAD")) {
                    reply.header("Allow", "GET, HEAD");
                    throw new Route.Refused(405, "UNSUPPORTED", "this mirror is read-only: " + method
                            + " is not supported");
                }
                if (hasBody(exchange)) {
                    reply.header("Connection", "close");
                    throw new Route.Refused(413, "SIZE_INVALID", "a request body is not accepted");
                }
                registry = Route.registry(exchange.getRequestURI().getRawQuery(), defaultRegistry);
                Route route = Route.parse(path, registry);
                kind = route.kind().name().toLowerCase(java.util.Locale.ROOT);
                switch (route.kind()) {
                    case BASE -> {
                        reply.header("Docker-Distribution-API-Version", "registry/2.0");
                        reply.send(200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
                    }
                    case MANIFEST -> manifests.answer(route, upstream, reply);
                    case BLOB -> blobs.answer(route, upstream, reply);
                    case TAGS -> tags.answer(route, upstream, reply, exchange.getRequestURI().getRawQuery());
                }
            } catch (Route.Refused r) {
                if (!reply.started()) {
                    reply.error(r.status, r.code, r.getMessage());
                } else {
                    reply.abort();
                }
            } catch (ConfigException e) {
                reply.error(503, "UNAVAILABLE", "the mirror's configuration is unusable: "
                        + BlobResponder.firstLine(e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reply.abort();
            } catch (RuntimeException e) {
                if (!reply.started()) {
                    reply.error(500, "UNKNOWN", "internal error: " + e.getClass().getSimpleName());
                } else {
                    reply.abort();
                }
            }
        } catch (IOException clientGone) {
            reply.abort(); // the client went away; any download it joined carries on for the others
        } finally {
            // recorded before the exchange ends: once a client has its whole answer, the record exists
            try {
                metrics.request(method, kind, reply.status());
                accessLog.accept(new MirrorRequest(method, path, registry, reply.status(), reply.sent(),
                        (System.nanoTime() - start) / 1_000_000, reply.source(), reply.aborted()));
            } finally {
                active.remove(reply);
                reply.finish();
            }
        }
    }

    /**
     * Cuts the connections of clients that stopped reading: a write blocked for more than {@code nanos} holds a
     * thread of the bounded pool, and enough such clients would leave none for containerd. Closing the exchange
     * from another thread makes the blocked write fail. Returns how many were cut.
     */
    int cutStalled(long nanos) {
        int cut = 0;
        for (Reply r : active) {
            if (r.stalledFor(nanos)) {
                r.abort();
                cut++;
            }
        }
        return cut;
    }

    private static boolean hasBody(HttpExchange exchange) {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        return exchange.getRequestHeaders().containsKey("Transfer-Encoding")
                || length != null && !length.trim().equals("0");
    }
}
