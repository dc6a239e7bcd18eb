package dev.jpull.internal.http;

import dev.jpull.Endpoint;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ProtocolException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The one registry transport: every registry request of {@code pull}, of the token fetcher and of
 * {@code diagnose} is sent here, through the clients of one {@link HttpClients} (user agent, identity encoding,
 * {@link ResponseGuard}, low-speed limit, {@link HttpTrace}), so the same endpoint gets the same answer from all
 * three.
 *
 * <p>Which client: a URL on the endpoint's own origin (scheme, host and port) goes through the endpoint's client
 * ({@link HttpClients#forEndpoint}: its CA, client certificate, skip-verify); any other URL (a redirect target,
 * a token realm elsewhere) through {@link HttpClients#plain()}, so an endpoint's TLS settings never apply to
 * another host.
 *
 * <p>Redirect policy ({@link #send}): at most {@value #MAX_REDIRECTS} hops, only to http(s) URLs; the request's
 * {@code Authorization} goes only to the origin of the first request, so never to another host or port and never
 * from https to http; other headers ({@code Accept}, {@code Range}) go with every hop. A refused redirect is a
 * {@link RedirectException}. The whole chain has one {@link Deadline} for its response headers: past it the call is
 * cancelled and a {@link DeadlineException} thrown. Every call joins the thread's {@link CallScope}, if any (so a
 * hedge that lost can be cancelled from another thread). Thread-safe.
 */
public final class Transport {
    /** At most this many redirects per request. */
    public static final int MAX_REDIRECTS = 10;

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jpull-header-timeout");
        t.setDaemon(true);
        return t;
    });

    private final HttpClients clients;

    public Transport(HttpClients clients) {
        this.clients = clients;
    }

    /** The clients requests go through. */
    public HttpClients clients() {
        return clients;
    }

    /**
     * A call of {@code request} through the client for its URL: {@code ep}'s own client on {@code ep}'s origin,
     * else the plain one. Not redirected; the caller bounds it (e.g. with {@link Call#timeout()}).
     *
     * @throws dev.jpull.ConfigException if the endpoint's TLS files are unusable
     */
    public Call newCall(Endpoint ep, Request request) {
        return clientFor(ep, request.url()).newCall(request);
    }

    /**
     * Sends {@code request} and follows redirects by the policy above; returns the first response that is not a
     * redirect (any status: the caller owns and must close it); after redirects its {@link Response#priorResponse()}
     * chain holds the redirect responses, headers only.
     *
     * @throws RedirectException when a redirect is refused (too many, no usable http(s) Location)
     * @throws DeadlineException when {@code deadline} passes before the response headers of the last hop arrive
     * @throws IOException       when the request fails on the wire
     */
    public Response send(Endpoint ep, Request request, Deadline deadline) throws IOException {
        HttpUrl origin = request.url();
        String authorization = request.header("Authorization");
        Response response = once(clientFor(ep, origin), request, deadline);
        for (int hops = 0; response.isRedirect(); hops++) {
            String location = response.header("Location");
            HttpUrl current = response.request().url();
            int status = response.code();
            response.close();
            if (hops >= MAX_REDIRECTS) {
                throw new RedirectException(status, "too many redirects");
            }
            HttpUrl next = location == null ? null : current.resolve(location);
            if (next == null) {
                throw new RedirectException(status, "redirect without a usable http(s) Location");
            }
            boolean sameOrigin = sameOrigin(next, origin);
            Request.Builder hop = request.newBuilder().url(next).removeHeader("Authorization");
            if (sameOrigin && authorization != null) {
                hop.header("Authorization", authorization);
            }
            Response prior = response.newBuilder().body(ResponseBody.EMPTY).build();
            response = once(sameOrigin ? clientFor(ep, origin) : clients.plain(), hop.build(), deadline);
            response = response.newBuilder().priorResponse(prior).build();
        }
        return response;
    }

    /**
     * True when {@code response} (from {@link #send}) is the answer of a redirect target: its 401 challenge is not
     * the endpoint's and must not be answered with the endpoint's credentials.
     */
    public static boolean redirected(Response response) {
        return response.priorResponse() != null;
    }

    /** The response to the first request of {@link #send} (headers only when a redirect followed). */
    public static Response first(Response response) {
        Response r = response;
        while (r.priorResponse() != null) {
            r = r.priorResponse();
        }
        return r;
    }

    private OkHttpClient clientFor(Endpoint ep, HttpUrl url) {
        HttpUrl base = HttpUrl.parse(ep.scheme() + "://" + ep.host() + "/");
        return base != null && sameOrigin(url, base) ? clients.forEndpoint(ep) : clients.plain();
    }

    /** Same scheme, host and port. */
    public static boolean sameOrigin(HttpUrl a, HttpUrl b) {
        return a.scheme().equals(b.scheme()) && a.host().equals(b.host()) && a.port() == b.port();
    }

    private static Response once(OkHttpClient client, Request request, Deadline deadline) throws IOException {
        if (deadline.passed()) {
            throw new DeadlineException(deadline);
        }
        Call call = client.newCall(request);
        CallScope scope = CallScope.current();
        if (scope != null) {
            scope.add(call);
        }
        AtomicBoolean fired = new AtomicBoolean();
        ScheduledFuture<?> watchdog = !deadline.bounded() ? null : WATCHDOG.schedule(() -> {
            fired.set(true);
            call.cancel();
        }, deadline.remainingMillis(), TimeUnit.MILLISECONDS);
        try {
            Response response = call.execute();
            if (scope != null) {
                scope.progressed();
            }
            return response;
        } catch (IOException e) {
            if (fired.get()) {
                DeadlineException late = new DeadlineException(deadline);
                late.initCause(e);
                throw late;
            }
            throw e;
        } finally {
            if (watchdog != null) {
                watchdog.cancel(false);
            }
        }
    }

    /** A redirect that is not followed. */
    public static final class RedirectException extends ProtocolException {
        private final int status;

        RedirectException(int status, String message) {
            super(message);
            this.status = status;
        }

        /** The status of the redirect response. */
        public int status() {
            return status;
        }
    }

    /** No response headers by the deadline. */
    public static final class DeadlineException extends InterruptedIOException {
        DeadlineException(Deadline deadline) {
            super("no response headers within " + deadline.limit().toMillis() + " ms");
        }
    }
}
