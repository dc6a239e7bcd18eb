package dev.jpull.registry;

import dev.jpull.Outcome;
import dev.jpull.auth.AuthException;
import dev.jpull.auth.Authenticator;
import dev.jpull.http.HttpClients;
import dev.jpull.resolve.Endpoint;
import java.io.IOException;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sends one registry GET to one endpoint: authenticates (answering a 401 challenge once), follows redirects
 * itself (at most 10; {@code Authorization} is only ever sent to the endpoint's own host), and returns the final
 * successful response. Every non-success is turned into an {@link EndpointFailure}.
 */
public final class Exchange {
    static final String USER_AGENT = "jpull/0.1";
    private static final int MAX_REDIRECTS = 10;

    private final HttpClients clients;
    private final Authenticator authenticator;

    public Exchange(HttpClients clients, Authenticator authenticator) {
        this.clients = clients;
        this.authenticator = authenticator;
    }

    /**
     * GETs {@code url} on {@code endpoint}. The caller owns (and must close) the returned 2xx response.
     *
     * @param headers extra request headers (e.g. {@code Accept}, {@code Range})
     */
    public Response get(Endpoint endpoint, String url, Map<String, String> headers) throws EndpointFailure {
        String scope = "repository:" + endpoint.repository() + ":pull";
        OkHttpClient client = clients.forEndpoint(endpoint);
        String authorization = authenticator.authorizationFor(endpoint, scope);
        Response response = send(client, url, headers, authorization);
        if (response.code() == 401) {
            var challenges = response.headers("WWW-Authenticate");
            response.close();
            String answer;
            try {
                answer = authenticator.respond(endpoint, scope, challenges, authorization);
            } catch (AuthException e) {
                throw new EndpointFailure(e.status() == 403 ? Outcome.FORBIDDEN : Outcome.UNAUTHORIZED,
                        e.status() == 0 ? 401 : e.status(), "authentication failed: " + e.getMessage());
            }
            if (answer == null) {
                throw new EndpointFailure(Outcome.UNAUTHORIZED, 401,
                        endpoint.config().auth() == null || !endpoint.config().auth().isSet()
                                ? "authentication required and no credentials are configured for "
                                + endpoint.host()
                                : "authentication required: no usable challenge from " + endpoint.host());
            }
            response = send(client, url, headers, answer);
            if (response.code() == 401) {
                EndpointFailure f = Failures.ofResponse(response);
                throw new EndpointFailure(Outcome.UNAUTHORIZED, 401, "credentials rejected: " + f.getMessage());
            }
        }
        return followRedirects(endpoint, client, response, headers, authorization);
    }

    private Response followRedirects(Endpoint endpoint, OkHttpClient endpointClient, Response response,
                                     Map<String, String> headers, String authorization) throws EndpointFailure {
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
            response = send(client, next.toString(), headers, sameOrigin ? auth : null);
        }
        if (!response.isSuccessful()) {
            EndpointFailure f = Failures.ofResponse(response);
            response.close();
            throw f;
        }
        return response;
    }

    private static Response send(OkHttpClient client, String url, Map<String, String> headers, String authorization)
            throws EndpointFailure {
        Request.Builder rb = new Request.Builder().url(url).get()
                .header("User-Agent", USER_AGENT)
                .header("Accept-Encoding", "identity");
        headers.forEach(rb::header);
        if (authorization != null) {
            rb.header("Authorization", authorization);
        }
        try {
            return client.newCall(rb.build()).execute();
        } catch (IOException e) {
            throw Failures.ofIo(e, false);
        } catch (IllegalArgumentException e) {
            throw new EndpointFailure(Outcome.PROTOCOL_ERROR, 0, "bad URL: " + e.getMessage());
        }
    }
}
