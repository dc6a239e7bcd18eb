package dev.jpull.internal.auth;

import dev.jpull.spi.Credentials;

import okhttp3.HttpUrl;

/** A user name and secret: sent as HTTP Basic to a Basic challenge, and to the token service of a Bearer one. */
record BasicAuth(Credentials creds) implements AuthScheme {

    @Override
    public String basicAnswer() {
        return creds.basicHeader();
    }

    @Override
    public boolean sendsSecret() {
        return true;
    }

    @Override
    public Token fetch(TokenFetcher.Requests fetcher, HttpUrl realm, String service, String scope)
            throws AuthException {
        return fetcher.get(realm, service, scope, creds.basicHeader());
    }

    @Override
    public String toString() {
        return "BasicAuth[" + creds + "]";
    }
}
