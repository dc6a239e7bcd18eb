package dev.jpull;


/**
 * The authentication challenge of the endpoint and what jpull could do with it. Never holds a token or password.
 *
 * @param scheme        challenge scheme ({@code bearer}, {@code basic}), or null when no usable challenge came
 * @param realm         token realm without query, or null
 * @param service       token service, or null
 * @param credentials   what the endpoint's {@code configs} entry provides: {@code none}, {@code basic},
 *                      {@code identity-token}
 * @param tokenObtained bearer: a token was issued; basic: credentials were available to send
 * @param error         why authentication failed (control characters escaped, {@link Printable}), or null
 * @param status        HTTP status of a failing token request (0 when unknown)
 */
public record AuthResult(String scheme, String realm, String service, String credentials, boolean tokenObtained,
                         String error, int status) {
    public AuthResult {
        error = Printable.escape(error);
    }
}
