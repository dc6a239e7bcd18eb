package dev.jpull.spi;

import dev.jpull.CredentialsException;
import dev.jpull.AuthConfig;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Credentials for one endpoint: a user name with a secret (from {@code username}/{@code password}, or the
 * base64 {@code auth} field split at its first colon), an identity (OAuth2 refresh) token, or a registry
 * token (a bearer token sent as is, Docker's {@code registrytoken}). From an {@link AuthConfig} precedence
 * follows {@link AuthConfig#kind()}: username, then auth, then identity_token. {@link #toString()} never shows
 * the secret or a token.
 *
 * @param username      user name, or null for token credentials
 * @param secret        password, or null
 * @param identityToken OAuth2 refresh token, or null when a user name is given
 * @param registryToken bearer token answered to a Bearer challenge without asking a token service, or null
 */
public record Credentials(String username, String secret, String identityToken, String registryToken) {

    /** User/secret or identity-token credentials without a registry token. */
    public Credentials(String username, String secret, String identityToken) {
        this(username, secret, identityToken, null);
    }

    /** Credentials that only carry a registry (bearer) token. */
    public static Credentials ofRegistryToken(String registryToken) {
        return new Credentials(null, null, null, registryToken);
    }

    /**
     * Credentials of {@code auth}, or null when it sets none.
     *
     * @param configHost the {@code configs} key, for the message when {@code auth} is not valid base64
     * @throws CredentialsException if {@code auth} is not base64 of {@code user:password}
     */
    public static Credentials from(AuthConfig auth, String configHost) {
        if (auth == null || !auth.isSet()) {
            return null;
        }
        if (auth.username() != null) {
            return new Credentials(auth.username(), auth.password() == null ? "" : auth.password(), null);
        }
        if (auth.auth() != null) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.auth().strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new CredentialsException("configs." + configHost + ".auth.auth is not valid base64");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new CredentialsException("configs." + configHost + ".auth.auth does not decode to user:password");
            }
            return new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1), null);
        }
        if (auth.identityToken() != null) {
            return new Credentials(null, null, auth.identityToken());
        }
        return null; // only a password: nothing usable
    }

    /** True when a user name and secret are available for HTTP Basic. */
    public boolean hasBasic() {
        return username != null && secret != null;
    }

    /** {@code Basic base64(user:secret)}; only valid when {@link #hasBasic()}. */
    public String basicHeader() {
        return okhttp3.Credentials.basic(username, secret, StandardCharsets.UTF_8);
    }

    /**
     * Stable identity for cache keys that does not reveal the secret: user name plus a hash of everything.
     */
    public String cacheIdentity() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((username + "\u0000" + secret + "\u0000" + identityToken + "\u0000" + registryToken)
                    .getBytes(StandardCharsets.UTF_8));
            return (username == null ? "token" : "user:" + username) + "#"
                    + HexFormat.of().formatHex(md.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        if (username != null) {
            return "Credentials[username=" + username + ", secret=***]";
        }
        return identityToken != null ? "Credentials[identityToken=***]" : "Credentials[registryToken=***]";
    }
}
