package dev.jpull.internal.auth;

import okhttp3.HttpUrl;

/** No credentials: a Basic challenge cannot be answered; a Bearer one gets an anonymous token GET. */
record AnonymousAuth() implements AuthScheme {
    static final AnonymousAuth INSTANCE = new AnonymousAuth();

    @Override
    public boolean sendsSecret() {
        return false;
    }

    @Override
    public Token fetch(TokenFetcher.Requests fetcher, HttpUrl realm, String service, String scope)
            throws AuthException {
        return fetcher.get(realm, service, scope, null);
    }
}
