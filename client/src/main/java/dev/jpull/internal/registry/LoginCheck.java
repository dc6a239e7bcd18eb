package dev.jpull.internal.registry;

import dev.jpull.Endpoint;
import dev.jpull.LoginFailedException;
import dev.jpull.Printable;
import dev.jpull.Timeouts;
import dev.jpull.internal.auth.AuthException;
import dev.jpull.internal.auth.Authenticator;
import dev.jpull.internal.auth.GivenCredentials;
import dev.jpull.internal.http.Deadline;
import dev.jpull.internal.http.Transport;
import dev.jpull.spi.Credentials;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import okhttp3.Request;
import okhttp3.Response;

/**
 * What {@code skopeo login} checks before it writes anything: {@code GET <apiRoot>/} of the registry's own
 * endpoint, and when that asks for authentication, the same request again with the challenge answered with the
 * given credentials (Basic, or a token from the Bearer realm). A 200 confirms them (so does a registry that
 * answers 200 without asking, as for skopeo); a rejected password, a token service that refuses the user, another
 * status or no answer is a {@link LoginFailedException}. Through the pull's {@link Transport}: the same TLS,
 * redirect and credential rules (credentials only to the endpoint and its token realm), the same trace.
 */
public final class LoginCheck {
    private final Transport transport;
    private final Duration limit;

    public LoginCheck(Transport transport, Timeouts timeouts) {
        this.transport = transport;
        this.limit = timeouts.connect().isZero() || timeouts.tls().isZero() || timeouts.headers().isZero()
                ? Duration.ZERO : timeouts.connect().plus(timeouts.tls()).plus(timeouts.headers());
    }

    /** Checks {@code credentials} against {@code ep}; returns normally when the registry accepts them. */
    public void check(Endpoint ep, Credentials credentials) {
        String registry = ep.host();
        Authenticator auth = new Authenticator(transport,
                GivenCredentials.forRegistry(ep.host(), credentials, "login"));
        String url = ep.scheme() + "://" + ep.host() + ep.apiRoot() + "/";
        try (Response first = get(ep, url, null)) {
            if (first.code() == 200) {
                return;
            }
            if (first.code() != 401) {
                throw unexpected(registry, url, first);
            }
            List<String> challenges = Transport.redirected(first) ? List.of() : first.headers("WWW-Authenticate");
            String header;
            try {
                header = auth.respond(ep, null, challenges, null, Deadline.after(limit));
            } catch (AuthException e) {
                throw new LoginFailedException(registry + ": " + (e.status() == 401 || e.status() == 403
                        ? "invalid username or password: " : "") + e.getMessage());
            }
            if (header == null) {
                throw new LoginFailedException(registry + ": GET " + url + " answered 401 with no challenge jpull "
                        + "can answer (WWW-Authenticate: " + Printable.escape(String.join(", ", challenges)) + ")");
            }
            try (Response second = get(ep, url, header)) {
                if (second.code() == 200) {
                    return;
                }
                if (second.code() == 401 || second.code() == 403) {
                    throw new LoginFailedException(registry + ": invalid username or password for user "
                            + Printable.escape(credentials.username()) + " (GET " + url + " answered "
                            + second.code() + ")");
                }
                throw unexpected(registry, url, second);
            }
        } catch (IOException e) {
            throw new LoginFailedException(registry + ": cannot reach " + url + ": " + Failures.describe(e));
        }
    }

    private Response get(Endpoint ep, String url, String authorization) throws IOException {
        Request.Builder rb = new Request.Builder().url(url).get();
        if (authorization != null) {
            rb.header("Authorization", authorization);
        }
        return transport.send(ep, rb.build(), Deadline.after(limit));
    }

    private static LoginFailedException unexpected(String registry, String url, Response r) {
        return new LoginFailedException(registry + ": GET " + url + " answered " + r.code()
                + " (not a registry's 200 or 401)");
    }
}
