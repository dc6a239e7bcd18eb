package dev.jpull.internal.registry;

import dev.jpull.Outcome;
import dev.jpull.internal.auth.AuthException;
import dev.jpull.internal.auth.Authenticator;
import dev.jpull.internal.http.Deadline;
import dev.jpull.internal.http.Transport;
import dev.jpull.Endpoint;
import dev.jpull.PullListener;
import dev.jpull.Timeouts;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sends one registry GET to one endpoint through the {@link Transport} (which follows redirects by its policy:
 * at most 10, {@code Authorization} only to the endpoint's own scheme, host and port, so never on an https to
 * http redirect): authenticates (answering a 401 of the endpoint itself, not of a redirect target, once) and returns the final
 * successful response. Every non-success is turned into an {@link EndpointFailure}. The whole exchange (the request, the token fetch answering its 401, the
 * retried request and every redirect) has one deadline, {@link Timeouts#headers()} after it starts, for the
 * response headers: a hanging token service costs one header timeout, not one per step. A token service that
 * times out or cannot be reached is a timeout (or refusal) of the endpoint, which is then tried last.
 */
public final class Exchange {
    private final Transport transport;
    private final Authenticator authenticator;
    private final Duration headerTimeout;
    private final PullListener listener;
    private final Set<String> rateLimitReported = ConcurrentHashMap.newKeySet();

    public Exchange(Transport transport, Authenticator authenticator) {
        this(transport, authenticator, Timeouts.DEFAULTS, PullListener.NONE);
    }

    /**
     * @param timeouts {@link Timeouts#headers()} bounds the wait for response headers of every request
     * @param listener receives Docker Hub style rate-limit headers ({@code ratelimit-limit/-remaining})
     */
    public Exchange(Transport transport, Authenticator authenticator, Timeouts timeouts, PullListener listener) {
        this.transport = transport;
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
        return request("GET", endpoint, url, headers);
    }

    /** HEADs {@code url} on {@code endpoint}, as {@link #get} (the response has no body; close it). */
    public Response head(Endpoint endpoint, String url, Map<String, String> headers) throws EndpointFailure {
        return request("HEAD", endpoint, url, headers);
    }

    private Response request(String method, Endpoint endpoint, String url, Map<String, String> headers)
            throws EndpointFailure {
        Deadline deadline = Deadline.after(headerTimeout);
        String scope = "repository:" + endpoint.repository() + ":pull";
        String authorization = authenticator.authorizationFor(endpoint, scope);
        Response response = send(method, endpoint, url, headers, authorization, deadline);
        if (response.code() == 401 && !Transport.redirected(response)) {
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
            response = send(method, endpoint, url, headers, answer, deadline);
            if (response.code() == 401 && !Transport.redirected(response)) {
                EndpointFailure f = Failures.ofResponse(response);
                throw new EndpointFailure(Outcome.UNAUTHORIZED, 401, "credentials rejected: " + f.getMessage());
            }
        }
        reportRateLimit(endpoint, Transport.first(response));
        if (!response.isSuccessful()) {
            EndpointFailure f = Failures.ofResponse(response);
            response.close();
            throw f;
        }
        return response;
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

    private Response send(String method, Endpoint endpoint, String url, Map<String, String> headers, String authorization,
                          Deadline deadline) throws EndpointFailure {
        Request request;
        try {
            Request.Builder rb = new Request.Builder().url(url).method(method, null);
            headers.forEach(rb::header);
            if (authorization != null) {
                rb.header("Authorization", authorization);
            }
            request = rb.build();
        } catch (IllegalArgumentException e) {
            throw new EndpointFailure(Outcome.PROTOCOL_ERROR, 0, "bad URL: " + e.getMessage());
        }
        try {
            return transport.send(endpoint, request, deadline);
        } catch (Transport.RedirectException e) {
            throw new EndpointFailure(Outcome.PROTOCOL_ERROR, e.status(), e.getMessage());
        } catch (Transport.DeadlineException e) {
            throw timedOut(deadline);
        } catch (IOException e) {
            throw Failures.ofIo(e, false);
        }
    }

    private static EndpointFailure timedOut(Deadline deadline) {
        return new EndpointFailure(Outcome.TIMEOUT, 0,
                "no response headers within " + deadline.limit().toMillis() + " ms");
    }
}
