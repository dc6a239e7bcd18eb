package dev.jpull.internal.auth;

import dev.jpull.spi.Credentials;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * An identity (OAuth2 refresh) token: an OAuth2 {@code refresh_token} POST to the token service, falling back to a
 * GET with Basic {@code :<token>} when the service answers 400, 401, 404 or 405 (as containerd does). Cannot
 * answer a Basic challenge.
 */
record IdentityTokenAuth(Credentials creds) implements AuthScheme {
    private static final Set<Integer> POST_FALLBACK = Set.of(400, 401, 404, 405);

    @Override
    public boolean sendsSecret() {
        return true;
    }

    @Override
    public Token fetch(TokenFetcher.Requests fetcher, HttpUrl realm, String service, String scope)
            throws AuthException {
        try {
            return fetcher.refresh(realm, service, scope, creds.identityToken());
        } catch (AuthException e) {
            if (!POST_FALLBACK.contains(e.status())) {
                throw e;
            }
        }
        return fetcher.get(realm, service, scope,
                okhttp3.Credentials.basic("", creds.identityToken(), StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "IdentityTokenAuth[" + creds + "]";
    }
}
