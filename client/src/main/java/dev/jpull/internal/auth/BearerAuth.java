package dev.jpull.internal.auth;

import dev.jpull.spi.Credentials;

import okhttp3.HttpUrl;

/**
 * A registry token (Docker's {@code registrytoken}): answers a Bearer challenge as is, without a token service; a
 * Basic challenge only when the same entry also has a user name and secret.
 */
record BearerAuth(Credentials creds) implements AuthScheme {

    @Override
    public String basicAnswer() {
        return creds.hasBasic() ? creds.basicHeader() : null;
    }

    @Override
    public String bearerAnswer() {
        return "Bearer " + creds.registryToken();
    }

    @Override
    public boolean sendsSecret() {
        return creds.hasBasic();
    }

    @Override
    public Token fetch(TokenFetcher.Requests fetcher, HttpUrl realm, String service, String scope)
            throws AuthException {
        // not reached through Authenticator (bearerAnswer answers first); kept total for the interface
        return fetcher.get(realm, service, scope, basicAnswer());
    }

    @Override
    public String toString() {
        return "BearerAuth[" + creds + "]";
    }
}
