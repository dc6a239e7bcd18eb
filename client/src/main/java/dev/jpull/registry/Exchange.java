package dev.jpull.registry;

import dev.jpull.Outcome;
import dev.jpull.auth.AuthException;
import dev.jpull.auth.Authenticator;
import dev.jpull.http.Deadline;
import dev.jpull.http.HttpClients;
import dev.jpull.resolve.Endpoint;
import dev.jpull.PullListener;
import dev.jpull.http.Timeouts;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Call;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sends one registry GET to one endpoint: authenticates (answering a 401 challenge once), follows redirects
 * itself (at most 10; {@code Authorization} is only ever sent to the endpoint's own scheme, host and port, so
 * never on an https to http redirect), and returns the final successful response. Every non-success is turned
 * into an {@link EndpointFailure}. The whole exchange (the request, the token fetch answering its 401, the
 * retried request and every redirect) has one deadline, {@link Timeouts#headers()} after it starts, for the
 * response headers: a hanging token service costs one header timeout, not one per step. A token service that
 * times out or cannot be reached is a timeout (or refusal) of the endpoint, which is then tried last.
 */
public final class Exchange {
    static final String USER_AGENT = "jpull/0.1";
    private static final int MAX_REDIRECTS = 10;

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jpull-header-timeout");
        t.setDaemon(true);
        return t;
    });

    private final HttpClients clients;
    private final Authenticator authenticator;
    private final Duration headerTimeout;
    private final PullListener listener;
    private final Set<String> rateLimitReported = ConcurrentHashMap.newKeySet();

    public Exchange(HttpClients clients, Authenticator authenticator) {
        this(clients, authenticator, Timeouts.DEFAULTS, PullListener.NONE);
    }

    /**
     * @param timeouts {@link Timeouts#headers()} bounds the wait for response headers of every request
     * @param listener receives Docker Hub style rate-limit headers ({@code ratelimit-limit/-remaining})
     */
    public Exchange(HttpClients clients, Authenticator authenticator, Timeouts timeouts, PullListener listener) {
        this.clients = clients;
        this.authenticator = authenticator;
        this.headerTimeout = timeouts.headers();
        this.listener = listener;
    }

    /**
     * GETs {@code url} on {@code endpoint}. The caller owns (and must close) the returned 2xx response.
     *
     * @param headers extra request headers (e.g. {@code Accept}, {@code Range})
     */
    public Response get(Endpoint endpoint, String url, Map<String, String> headers) throws EndpointFailure {
        Deadline deadline = Deadline.after(headerTimeout);
        String scope = "repository:" + endpoint.repository() + ":pull";
        OkHttpClient client = clients.forEndpoint(endpoint);
        String authorization = authenticator.authorizationFor(endpoint, scope);
        Response response = send(client, url, headers, authorization, deadline);
        if (response.code() == 401) {
            var challenges = response.headers("WWW-Authenticate");
            response.close();
            String answer;
            try {
                answer = authenticator.respond(endpoint, scope, challenges, authorization, deadline);
            } catch (AuthException e) {
                throw authFailure(e);
            }
            if (answer == null) {
                throw new EndpointFailure(Outcome.UNAUTHORIZED, 401,
                        endpoint.config().auth() == null || !endpoint.config().auth().isSet()
                                ? "authentication required and no credentials are configured for "
                                + endpoint.host()
                                : "authentication required: no usable challenge from " + endpoint.host());
            }
            response = send(client, url, headers, answer, deadline);
            if (response.code() == 401) {
                EndpointFailure f = Failures.ofResponse(response);
                throw new EndpointFailure(Outcome.UNAUTHORIZED, 401, "credentials rejected: " + f.getMessage());
            }
        }
        reportRateLimit(endpoint, response);
        return followRedirects(endpoint, client, response, headers, deadline);
    }

    /**
     * A failed authentication: rejected credentials are unauthorized/forbidden; a token service that timed out
     * or could not be reached makes the endpoint unusable like a timeout or refusal of its own.
     */
    private static EndpointFailure authFailure(AuthException e) {
        String message = "authentication failed: " + e.getMessage();
        if (e.getCause() instanceof IOException io) {
            EndpointFailure f = Failures.ofIo(io, false);
            return new EndpointFailure(f.outcome(), 0, message, e);
        }
        return new EndpointFailure(e.status() == 403 ? Outcome.FORBIDDEN : Outcome.UNAUTHORIZED,
                e.status() == 0 ? 401 : e.status(), message);
    }

    private void reportRateLimit(Endpoint endpoint, Response response) {
        String limit = response.header("ratelimit-limit");
        String remaining = response.header("ratelimit-remaining");
        if ((limit != null || remaining != null) && rateLimitReported.add(endpoint.baseUrl() + " " + remaining)) {
            listener.rateLimit(endpoint.baseUrl(), limit, remaining);
        }
    }

    private Response followRedirects(Endpoint endpoint, OkHttpClient endpointClient, Response response,
                                     Map<String, String> headers, Deadline deadline) throws EndpointFailure {
        HttpUrl origin = response.request().url();
        String auth = response.request().header("Authorization");
        for (int hops = 0; response.isRedirect(); hops++) {
            String location = response.header("Location");
            HttpUrl current = response.request().url();
            response.close();
            if (hops >= MAX_REDIRECTS) {
                throw new EndpointFailure(Outcome.PROTOCOL_ERROR, response.code(), "too many redirects");
            }
            HttpUrl next = location == null ? null : current.resolve(location);
            if (next == null) {
                throw new EndpointFailure(Outcome.PROTOCOL_ERROR, response.code(),
                        "redirect without a usable http(s) Location");
            }
            boolean sameOrigin = next.scheme().equals(origin.scheme()) && next.host().equals(origin.host())
                    && next.port() == origin.port();
            OkHttpClient client = sameOrigin ? endpointClient : clients.plain();
            response = send(client, next.toString(), headers, sameOrigin ? auth : null, deadline);
        }
        if (!response.isSuccessful()) {
            EndpointFailure f = Failures.ofResponse(response);
            response.close();
            throw f;
        }
        return response;
    }

    private Response send(OkHttpClient client, String url, Map<String, String> headers, String authorization,
                          Deadline deadline) throws EndpointFailure {
        Call call;
        try {
            Request.Builder rb = new Request.Builder().url(url).get()
                    .header("User-Agent", USER_AGENT)
                    .header("Accept-Encoding", "identity");
            headers.forEach(rb::header);
            if (authorization != null) {
                rb.header("Authorization", authorization);
            }
            call = client.newCall(rb.build());
        } catch (IllegalArgumentException e) {
            throw new EndpointFailure(Outcome.PROTOCOL_ERROR, 0, "bad URL: " + e.getMessage());
        }
        if (deadline.passed()) {
            throw timedOut(deadline);
        }
        AtomicBoolean fired = new AtomicBoolean();
        ScheduledFuture<?> watchdog = !deadline.bounded() ? null : WATCHDOG.schedule(() -> {
            fired.set(true);
            call.cancel();
        }, deadline.remainingMillis(), TimeUnit.MILLISECONDS);
        try {
            return call.execute();
        } catch (IOException e) {
            if (fired.get()) {
                throw timedOut(deadline);
            }
            throw Failures.ofIo(e, false);
        } finally {
            if (watchdog != null) {
                watchdog.cancel(false);
            }
        }
    }

    private static EndpointFailure timedOut(Deadline deadline) {
        return new EndpointFailure(Outcome.TIMEOUT, 0,
                "no response headers within " + deadline.limit().toMillis() + " ms");
    }
}
