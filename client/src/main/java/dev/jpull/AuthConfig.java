package dev.jpull;

/**
 * {@code configs.<host>.auth} of registries.yaml. Empty strings are normalised to null ("not set").
 * {@link #toString()} never shows secrets.
 *
 * @param auth base64 of {@code user:password}, as in Docker's config.json
 * @param identityToken OAuth2 refresh token (YAML key {@code identity_token})
 */
public record AuthConfig(String username, String password, String auth, String identityToken) {

    /** True when any credential is set. */
    public boolean isSet() {
        return username != null || password != null || auth != null || identityToken != null;
    }

    /** {@code none}, {@code basic} or {@code identity-token}, as shown by {@code jpull resolve}. */
    public String kind() {
        if (username != null || auth != null) {
            return "basic";
        }
        if (identityToken != null) {
            return "identity-token";
        }
        return "none";
    }

    @Override
    public String toString() {
        return "AuthConfig[kind=" + kind() + (username != null ? ", username=" + username : "") + "]";
    }
}
