package dev.jpull.internal.auth;

import dev.jpull.spi.CredentialSource;
import dev.jpull.spi.Credentials;

import dev.jpull.Endpoint;

/**
 * Credentials from the endpoint's own registries.yaml {@code configs} entry ({@link Endpoint#config()}).
 * Throws {@link dev.jpull.CredentialsException} for an {@code auth} field that is not base64 of {@code user:password}.
 */
public final class RegistriesYamlCredentials implements CredentialSource {

    @Override
    public Found find(Endpoint ep) {
        if (ep.config() == null) {
            return null;
        }
        String key = ep.configKey() != null ? ep.configKey() : ep.host();
        Credentials c = Credentials.from(ep.config().auth(), key);
        return c == null ? null : new Found(c, "registries.yaml configs." + key);
    }
}
