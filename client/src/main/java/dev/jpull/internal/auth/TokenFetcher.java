package dev.jpull.internal.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jpull.Endpoint;
import dev.jpull.internal.http.Bodies;
import dev.jpull.internal.http.CallScope;
import dev.jpull.internal.http.Deadline;
import dev.jpull.internal.http.ErrorBody;
import dev.jpull.internal.http.Transport;
import dev.jpull.internal.oci.JsonTrees;
import dev.jpull.spi.Credentials;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Talks to a token service (the realm of a Bearer challenge) for an {@link AuthScheme}, which picks the requests:
 * OAuth2 refresh-token POST for identity tokens ({@link IdentityTokenAuth}), GET with Basic for user/password
 * ({@link BasicAuth}), anonymous GET otherwise ({@link AnonymousAuth}). Reads at most {@value #MAX_BODY} bytes.
 * Messages name the realm without its query and never contain credentials. Credentials never go to a plain-http realm of an https endpoint. Requests go through
 * the registry {@link Transport} (its user agent, trace, response guard and low-speed limit; the endpoint's TLS
 * settings only for a realm on the endpoint's own origin). A token request is not redirected
 * ({@link Transport#newCall}), so nothing is forwarded to where a 3xx points.
 */
final class TokenFetcher {
    static final int MAX_BODY = Bodies.MAX_SMALL_BODY;
    static final String CLIENT_ID = "jpull";
    private static final Duration MIN_LIFETIME = Duration.ofSeconds(60);
    private static final Duration MARGIN = Duration.ofSeconds(5);
    static final Duration MAX_LIFETIME = Duration.ofDays(1);

    private final Transport transport;
    private final Clock clock;

    TokenFetcher(Transport transport, Clock clock) {
        this.transport = transport;
        this.clock = clock;
    }

    /**
     * Parses and checks a realm.
     *
     * @throws AuthException unless it is an absolute http or https URL
     */
    static HttpUrl realmUrl(String realm, Endpoint ep) throws AuthException {
        if (realm == null || realm.isBlank()) {
            throw new AuthException(0, ep.baseUrl() + " sent a Bearer challenge without realm");
        }
        HttpUrl url = realm == null ? null : HttpUrl.parse(realm);
        String scheme = realm == null ? "" : realm.substring(0, Math.max(0, realm.indexOf(':'))).toLowerCase(Locale.ROOT);
        if (url == null || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new AuthException(0, ep.baseUrl() + " names token realm '" + shown(realm)
                    + "', which is not an http(s) URL");
        }
        return url;
    }

    /**
     * Fetches a token for {@code scope} (space-separated scopes) from {@code realm}, answered within
     * {@code deadline}.
     *
     * @throws AuthException also when credentials would travel in clear text: an endpoint reached over https whose
     *                       realm is plain http gets no Basic credentials, identity token or refresh token sent
     *                       to that realm (an anonymous token request, which carries no secret, is still made)
     */
    Token fetch(Endpoint ep, HttpUrl realm, String service, String scope, Credentials creds, Deadline deadline)
            throws AuthException {
        AuthScheme scheme = AuthScheme.of(creds);
        if (scheme.sendsSecret() && !realm.isHttps() && !"http".equals(ep.scheme())) {
            throw new AuthException(0, "refusing to send the credentials for " + ep.host() + " in clear text to "
                    + "token service " + shown(realm.toString()) + ": the endpoint is "
                    + ep.scheme() + " but its token realm is plain http");
        }
        return scheme.fetch(new Requests(ep, creds, deadline), realm, service, scope);
    }

    /** The token requests a scheme may make, for one endpoint, credentials and deadline. */
    final class Requests {
        private final Endpoint ep;
        private final Credentials creds;
        private final Deadline deadline;

        private Requests(Endpoint ep, Credentials creds, Deadline deadline) {
            this.ep = ep;
            this.creds = creds;
            this.deadline = deadline;
        }

        /** {@code GET realm?service=&scope=...} with {@code authorization} (null: anonymous). */
        Token get(HttpUrl realm, String service, String scope, String authorization) throws AuthException {
            return execute(ep, TokenFetcher.get(realm, service, scope, authorization), realm, creds, deadline);
        }

        /** The OAuth2 {@code refresh_token} grant POST. */
        Token refresh(HttpUrl realm, String service, String scope, String refreshToken) throws AuthException {
            return execute(ep, refreshPost(realm, service, scope, refreshToken), realm, creds, deadline);
        }
    }

    private static Request get(HttpUrl realm, String service, String scope, String authorization) {
        HttpUrl.Builder url = realm.newBuilder();
        if (service != null) {
            url.addQueryParameter("service", service);
        }
        for (String s : scopes(scope)) {
            url.addQueryParameter("scope", s);
        }
        Request.Builder b = new Request.Builder().url(url.build()).header("Accept", "application/json");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b.build();
    }

    private static Request refreshPost(HttpUrl realm, String service, String scope, String refreshToken) {
        FormBody.Builder form = new FormBody.Builder()
                .add("grant_type", "refresh_token")
                .add("refresh_token", refreshToken);
        if (service != null) {
            form.add("service", service);
        }
        if (scope != null && !scope.isBlank()) {
            form.add("scope", String.join(" ", scopes(scope)));
        }
        form.add("client_id", CLIENT_ID);
        return new Request.Builder().url(realm).post(form.build()).header("Accept", "application/json").build();
    }

    private static String[] scopes(String scope) {
        return scope == null || scope.isBlank() ? new String[0] : scope.strip().split("\\s+");
    }

    private Token execute(Endpoint ep, Request request, HttpUrl realm, Credentials creds,
                          Deadline deadline) throws AuthException {
        String where = "token service " + shown(realm.toString());
        if (deadline.passed()) {
            throw late(where, deadline, null);
        }
        byte[] body;
        int status;
        Call call = transport.newCall(ep, request);
        // not added to the attempt's CallScope: a token fetch may be shared with other requests (one fetch per
        // key at a time), so cancelling a hedge that lost must not fail them; it is bounded by the deadline
        CallScope scope = CallScope.current();
        if (deadline.bounded()) {
            call.timeout().timeout(deadline.remainingMillis(), TimeUnit.MILLISECONDS); // covers the body too
        }
        try (Response r = call.execute()) {
            if (scope != null) {
                scope.progressed();
            }
            status = r.code();
            body = readBounded(r.body(), where);
        } catch (IOException e) {
            // the call timeout set above fails with a plain InterruptedIOException (read timeouts and the
            // low-speed limit with its SocketTimeoutException subclass); it may fire a hair before the deadline
            boolean callTimeout = e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException);
            if (deadline.passed() || deadline.bounded() && callTimeout) {
                throw late(where, deadline, e);
            }
            String what = e instanceof java.net.ProtocolException ? " sent a malformed response: " : " unreachable: ";
            throw new AuthException(where + what + scrub(String.valueOf(e.getMessage()), creds), e);
        }
        if (status < 200 || status > 299) {
            throw new AuthException(status, where + " answered " + status + detail(body, creds));
        }
        JsonNode node;
        try {
            node = JsonTrees.read(body);
        } catch (IOException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            throw new AuthException(0, where + " answered " + status + " with a body that is not a JSON object");
        }
        String token = text(node, "access_token");
        if (token == null) {
            token = text(node, "token");
        }
        if (token == null) {
            throw new AuthException(0, where + " answered " + status + " without token or access_token");
        }
        return new Token(token, expiry(node));
    }

    /** The exchange's deadline passed while waiting for {@code where}: a timeout ({@link InterruptedIOException}). */
    static AuthException late(String where, Deadline deadline, IOException cause) {
        InterruptedIOException timeout = new InterruptedIOException("timeout");
        if (cause != null) {
            timeout.initCause(cause);
        }
        return new AuthException(where + " did not answer within the " + deadline.limit().toMillis()
                + " ms the exchange may take", timeout);
    }

    private Instant expiry(JsonNode node) {
        Instant now = clock.instant();
        Duration lifetime = MIN_LIFETIME;
        JsonNode expiresIn = node.get("expires_in");
        if (expiresIn != null && expiresIn.canConvertToLong() && expiresIn.asLong() > lifetime.getSeconds()) {
            // a token service may claim any lifetime: trusting more than a day buys nothing (a stale token is
            // answered with a 401 and fetched again) and a huge value would overflow Instant arithmetic
            lifetime = Duration.ofSeconds(Math.min(expiresIn.asLong(), MAX_LIFETIME.getSeconds()));
        }
        Instant base = now;
        String issuedAt = text(node, "issued_at");
        if (issuedAt != null) {
            try {
                Instant issued = OffsetDateTime.parse(issuedAt).toInstant();
                // only trust an issue time in the past whose token has not already run out (clock skew)
                if (!issued.isAfter(now) && issued.plus(lifetime).isAfter(now)) {
                    base = issued;
                }
            } catch (DateTimeParseException e) {
                // ignore: count from now
            }
        }
        return base.plus(lifetime).minus(MARGIN);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() && !v.asText().isEmpty() ? v.asText() : null;
    }

    private static byte[] readBounded(ResponseBody body, String where) throws IOException, AuthException {
        try {
            return Bodies.readLimited(body.byteStream(), MAX_BODY);
        } catch (Bodies.TooLargeException e) {
            throw new AuthException(0, where + " sent a response larger than " + MAX_BODY + " bytes");
        }
    }

    /** A short explanation from a JSON error body, if there is one. */
    private String detail(byte[] body, Credentials creds) {
        try {
            JsonNode n = JsonTrees.read(body);
            if (n == null || !n.isObject()) {
                return "";
            }
            ErrorBody.Entry first = ErrorBody.first(body);
            String msg = first == null ? null : first.message() != null ? first.message() : first.code();
            for (String f : new String[] {"error_description", "details", "error", "message"}) {
                if (msg == null) {
                    msg = text(n, f);
                }
            }
            if (msg == null) {
                return "";
            }
            msg = scrub(msg.replaceAll("\\s+", " ").strip(), creds);
            return ": " + (msg.length() > 200 ? msg.substring(0, 200) + "..." : msg);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** Removes any credential value from a message (servers sometimes echo input). */
    static String scrub(String message, Credentials creds) {
        if (creds == null) {
            return message;
        }
        String out = message;
        for (String secret : new String[] {creds.secret(), creds.identityToken()}) {
            if (secret != null && secret.length() >= 3) {
                out = out.replace(secret, "***");
            }
        }
        return out;
    }

    /** Realm as shown in messages: scheme, host, port and path, without query or user info. */
    static String shown(String realm) {
        if (realm == null) {
            return "";
        }
        String s = realm;
        int q = s.indexOf('?');
        if (q >= 0) {
            s = s.substring(0, q);
        }
        int schemeEnd = s.indexOf("://");
        int at = s.indexOf('@');
        if (schemeEnd >= 0 && at > schemeEnd) {
            s = s.substring(0, schemeEnd + 3) + s.substring(at + 1);
        }
        return s;
    }
}
