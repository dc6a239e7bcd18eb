package dev.jpull.internal.auth;

import dev.jpull.spi.CredentialSource;
import dev.jpull.spi.Credentials;

import dev.jpull.internal.http.Deadline;
import dev.jpull.internal.http.HttpClients;
import dev.jpull.internal.http.Transport;
import dev.jpull.Endpoint;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import okhttp3.HttpUrl;

/**
 * Authentication state for all endpoints of a {@link dev.jpull.Jpull} instance. Thread-safe.
 *
 * <p>Use: before a request send {@link #authorizationFor} if it is not null; on a 401 call
 * {@link #respond} with the response's {@code WWW-Authenticate} values and, if it returns a header, retry
 * the request once with it. A second 401 on the retried request means the attempt is unauthorized.
 *
 * <p>How credentials answer a challenge is one class per scheme ({@link AuthScheme}: anonymous, Basic, Bearer
 * registry token, identity token); this class keeps the per-origin challenge and token state.
 *
 * <p>Credentials come from a {@link CredentialSource} (by default only the endpoint's own registries.yaml
 * {@code configs} entry), looked up by the endpoint they are for, and go only to that endpoint and to the
 * token realm it names. A registry token ({@link Credentials#registryToken()}) answers a Bearer challenge
 * directly, without a token service. Bearer tokens are cached by (realm, service, scope, credential identity),
 * so endpoints sharing a token service share tokens; concurrent fetches of the same token are merged.
 */
public final class Authenticator {
    /**
     * Cached tokens beyond which expired ones are dropped: a {@code jpull serve} that runs for months sees a token
     * scope per repository, and keeps only those still usable.
     */
    static final int SWEEP_ABOVE = 64;

    private final TokenFetcher fetcher;
    private final Clock clock;
    private final CredentialSource credentials;
    /** Last challenge seen per {@code scheme://host}: decides what {@link #authorizationFor} sends. */
    private final Map<String, Challenge> lastChallenge = new ConcurrentHashMap<>();
    /** Tokens by key; expired ones are dropped once there are more than {@link #SWEEP_ABOVE} (long-lived serve). */
    private final Map<TokenKey, Token> tokens = new ConcurrentHashMap<>();
    private final Map<TokenKey, CompletableFuture<Token>> inflight = new ConcurrentHashMap<>();

    /** Tokens cached now, usable or not (tests). */
    int cachedTokens() {
        return tokens.size();
    }

    /** Cache key of a token; {@code credentials} is an identity that does not reveal secrets. */
    record TokenKey(String realm, String service, String scope, String credentials) {
    }

    /** Credentials only from registries.yaml ({@link RegistriesYamlCredentials}). */
    public Authenticator(HttpClients clients) {
        this(new Transport(clients), new RegistriesYamlCredentials());
    }

    /** Credentials from {@code credentials}, e.g. {@link CredentialSource#standard()}. */
    public Authenticator(HttpClients clients, CredentialSource credentials) {
        this(new Transport(clients), credentials);
    }

    /** Token requests go through {@code transport}, e.g. the one pull and diagnose use. */
    public Authenticator(Transport transport, CredentialSource credentials) {
        this(transport, credentials, Clock.systemUTC());
    }

    Authenticator(HttpClients clients, Clock clock) {
        this(new Transport(clients), new RegistriesYamlCredentials(), clock);
    }

    Authenticator(Transport transport, CredentialSource credentials, Clock clock) {
        this.fetcher = new TokenFetcher(transport, clock);
        this.clock = clock;
        this.credentials = credentials;
    }

    /**
     * {@code Authorization} value to send pre-emptively to {@code ep} for {@code scope}, or null: a cached,
     * unexpired bearer token if {@code ep} last challenged with Bearer, Basic if it last challenged with
     * Basic and has user credentials.
     *
     * @param scope e.g. {@code repository:library/alpine:pull}
     */
    public String authorizationFor(Endpoint ep, String scope) {
        Challenge c = lastChallenge.get(origin(ep));
        if (c == null) {
            return null;
        }
        Credentials creds = credentials(ep);
        AuthScheme scheme = AuthScheme.of(creds);
        if (c.scheme().equals("basic")) {
            return scheme.basicAnswer();
        }
        if (scheme.bearerAnswer() != null) {
            return scheme.bearerAnswer();
        }
        Token t = tokens.get(key(c, scope, creds));
        return t != null && t.usableAt(clock.instant()) ? t.header() : null;
    }

    /**
     * Reacts to a 401, assuming the failing request carried {@link #authorizationFor}{@code (ep, scope)}.
     *
     * @see #respond(Endpoint, String, List, String)
     */
    public String respond(Endpoint ep, String scope, List<String> wwwAuthenticate) throws AuthException {
        return respond(ep, scope, wwwAuthenticate, authorizationFor(ep, scope));
    }

    /**
     * Reacts to a 401 from {@code ep}: returns the {@code Authorization} value to retry with, or null when
     * the challenge cannot be answered (no supported challenge, or Basic without credentials). Bearer wins
     * over Basic. A cached token that the failed request carried, or that the challenge calls
     * {@code invalid_token}, is dropped and fetched again.
     *
     * @param sentAuthorization the {@code Authorization} value the failed request carried, or null
     * @throws AuthException if the token service fails, the realm is unusable, or Basic credentials were
     *                       rejected; the message has no secrets
     */
    public String respond(Endpoint ep, String scope, List<String> wwwAuthenticate, String sentAuthorization)
            throws AuthException {
        return respond(ep, scope, wwwAuthenticate, sentAuthorization, Deadline.NONE);
    }

    /**
     * As {@link #respond(Endpoint, String, List, String)}, with the token fetch (or the wait for the same fetch
     * by another request) bounded by {@code deadline}: past it, the {@link AuthException} has an
     * {@link java.io.InterruptedIOException} as its cause.
     */
    public String respond(Endpoint ep, String scope, List<String> wwwAuthenticate, String sentAuthorization,
                          Deadline deadline) throws AuthException {
        List<Challenge> challenges = Challenge.parse(wwwAuthenticate);
        Challenge bearer = first(challenges, "bearer");
        Challenge basic = first(challenges, "basic");
        Credentials creds = credentials(ep);
        AuthScheme scheme = AuthScheme.of(creds);
        if (bearer != null) {
            String direct = scheme.bearerAnswer();
            if (direct != null) {
                lastChallenge.put(origin(ep), bearer);
                String header = direct;
                if (header.equals(sentAuthorization)) {
                    throw new AuthException(401, ep.baseUrl() + " rejected the registry token");
                }
                return header;
            }
            HttpUrl realm = TokenFetcher.realmUrl(bearer.param("realm"), ep);
            lastChallenge.put(origin(ep), bearer);
            TokenKey key = key(bearer, scope, creds);
            Token cached = tokens.get(key);
            if (cached != null) {
                boolean rejected = "invalid_token".equalsIgnoreCase(bearer.param("error"))
                        || cached.header().equals(sentAuthorization);
                if (rejected || !cached.usableAt(clock.instant())) {
                    tokens.remove(key, cached);
                } else {
                    return cached.header(); // fetched meanwhile by another request, or shared with another endpoint
                }
            }
            String requested = requestedScopes(scope, bearer.param("scope"));
            return fetchShared(key, () -> fetcher.fetch(ep, realm, bearer.param("service"), requested, creds, deadline),
                    "token service " + TokenFetcher.shown(realm.toString()), deadline).header();
        }
        if (basic != null) {
            lastChallenge.put(origin(ep), basic);
            String header = scheme.basicAnswer();
            if (header == null) {
                return null;
            }
            if (header.equals(sentAuthorization)) {
                throw new AuthException(401, ep.baseUrl() + " rejected the basic credentials of user " + creds.username());
            }
            return header;
        }
        return null;
    }

    private interface Fetch {
        Token get() throws AuthException;
    }

    /**
     * Runs {@code fetch} unless the same key is being fetched already, in which case waits for that (until
     * {@code deadline}).
     */
    private Token fetchShared(TokenKey key, Fetch fetch, String where, Deadline deadline) throws AuthException {
        CompletableFuture<Token> mine = new CompletableFuture<>();
        CompletableFuture<Token> running = inflight.putIfAbsent(key, mine);
        if (running != null) {
            try {
                return deadline.bounded() ? running.get(deadline.remainingMillis(), TimeUnit.MILLISECONDS)
                        : running.join();
            } catch (TimeoutException e) {
                throw TokenFetcher.late(where, deadline, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AuthException(where + ": interrupted", new java.io.InterruptedIOException("interrupted"));
            } catch (ExecutionException | CompletionException e) {
                if (e.getCause() instanceof AuthException ae) {
                    throw ae;
                }
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
        try {
            Token t = fetch.get();
            tokens.put(key, t);
            if (tokens.size() > SWEEP_ABOVE) {
                Instant now = clock.instant();
                tokens.values().removeIf(cached -> !cached.usableAt(now));
            }
            mine.complete(t);
            return t;
        } catch (AuthException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inflight.remove(key, mine);
        }
    }

    private static String requestedScopes(String scope, String challengeScope) {
        Set<String> all = new LinkedHashSet<>();
        for (String s : new String[] {scope, challengeScope}) {
            if (s != null && !s.isBlank()) {
                all.addAll(List.of(s.strip().split("\\s+")));
            }
        }
        return all.isEmpty() ? null : String.join(" ", all);
    }

    private static TokenKey key(Challenge bearer, String scope, Credentials creds) {
        String s = scope != null ? scope : bearer.param("scope");
        return new TokenKey(bearer.param("realm"), bearer.param("service"), s == null ? "" : s,
                creds == null ? "anonymous" : creds.cacheIdentity());
    }

    private static Challenge first(List<Challenge> challenges, String scheme) {
        return challenges.stream().filter(c -> c.scheme().equals(scheme)).findFirst().orElse(null);
    }

    private static String origin(Endpoint ep) {
        return ep.scheme() + "://" + ep.host();
    }

    /**
     * The credentials for {@code ep} and where they come from, or null when it is anonymous.
     *
     * @throws dev.jpull.CredentialsException if a credentials file or helper is unusable
     */
    public CredentialSource.Found credentialsFor(Endpoint ep) {
        return credentials.find(ep);
    }

    private Credentials credentials(Endpoint ep) {
        CredentialSource.Found f = credentials.find(ep);
        return f == null ? null : f.credentials();
    }
}
