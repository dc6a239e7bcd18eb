package dev.jpull.internal.auth;

import dev.jpull.spi.CredentialSource;
import dev.jpull.spi.Credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpull.RegistryConfig;
import dev.jpull.internal.http.HttpClients;
import dev.jpull.Timeouts;
import dev.jpull.Endpoint;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Authenticator with a {@link CredentialSource}: registry tokens answer Bearer challenges directly. */
class AuthenticatorRegistryTokenTest {
    static final String SCOPE = "repository:team/app:pull";
    static final String TOKEN = "reg-Token-Value-123";
    // the realm is never contacted: a closed port would make any attempt fail
    static final String BEARER = "Bearer realm=\"http://127.0.0.1:1/token\",service=\"s\"";

    private final Endpoint ep = new Endpoint("https", "r.example", "/v2", "team/app", null, RegistryConfig.EMPTY,
            null, false, null);
    private final Authenticator auth = new Authenticator(new HttpClients(Timeouts.DEFAULTS),
            e -> e.host().equals("r.example")
                    ? new CredentialSource.Found(Credentials.ofRegistryToken(TOKEN), "test") : null);

    @Test
    void bearerChallengeIsAnsweredWithTheRegistryToken() throws AuthException {
        assertThat(auth.authorizationFor(ep, SCOPE)).isNull();
        assertThat(auth.respond(ep, SCOPE, List.of(BEARER))).isEqualTo("Bearer " + TOKEN);
        assertThat(auth.authorizationFor(ep, SCOPE)).isEqualTo("Bearer " + TOKEN);
        assertThat(auth.credentialsFor(ep).origin()).isEqualTo("test");
    }

    @Test
    void rejectedRegistryTokenIsAnAuthErrorWithoutTheToken() {
        assertThatThrownBy(() -> auth.respond(ep, SCOPE, List.of(BEARER), "Bearer " + TOKEN))
                .isInstanceOf(AuthException.class)
                .hasMessageContaining("rejected the registry token")
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void basicChallengeCannotUseARegistryToken() throws AuthException {
        assertThat(auth.respond(ep, SCOPE, List.of("Basic realm=\"x\""))).isNull();
    }

    @Test
    void registryTokenIsHiddenFromToStringAndCacheIdentity() {
        Credentials c = Credentials.ofRegistryToken(TOKEN);
        assertThat(c.toString()).isEqualTo("Credentials[registryToken=***]");
        assertThat(c.cacheIdentity()).doesNotContain(TOKEN);
        assertThat(new Credentials("u", "p", null, TOKEN).toString()).doesNotContain(TOKEN).doesNotContain("=p");
    }
}
