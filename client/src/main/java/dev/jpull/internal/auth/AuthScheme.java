package dev.jpull.internal.auth;

import dev.jpull.spi.Credentials;

import okhttp3.HttpUrl;

/**
 * How one kind of credentials answers a registry's challenges: one class per scheme. {@link #of} picks it:
 * a registry token is {@link BearerAuth}, an identity token {@link IdentityTokenAuth}, a user name with a secret
 * {@link BasicAuth}, nothing {@link AnonymousAuth}. {@link Authenticator} keeps the state (last challenge, token
 * cache); {@link TokenFetcher} the token-service protocol (requests, limits, parsing). A new scheme is a new
 * implementation here plus its case in {@link #of}.
 */
sealed interface AuthScheme permits AnonymousAuth, BasicAuth, BearerAuth, IdentityTokenAuth {

    /** The scheme for {@code creds} (null: anonymous). */
    static AuthScheme of(Credentials creds) {
        if (creds == null) {
            return AnonymousAuth.INSTANCE;
        }
        if (creds.registryToken() != null) {
            return new BearerAuth(creds);
        }
        if (creds.identityToken() != null) {
            return new IdentityTokenAuth(creds);
        }
        return creds.hasBasic() ? new BasicAuth(creds) : AnonymousAuth.INSTANCE;
    }

    /** The {@code Authorization} answering a Basic challenge, or null (the default) when these credentials cannot. */
    default String basicAnswer() {
        return null;
    }

    /** The {@code Authorization} answering a Bearer challenge without a token service, or null (default): ask it. */
    default String bearerAnswer() {
        return null;
    }

    /** True when a token request carries a secret (never sent to a plain-http realm of an https endpoint). */
    boolean sendsSecret();

    /** Fetches a token from {@code realm} for {@code scope} through {@code fetcher}'s requests. */
    Token fetch(TokenFetcher.Requests fetcher, HttpUrl realm, String service, String scope) throws AuthException;
}
