package dev.jpull.internal.auth;

import dev.jpull.spi.Credentials;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which scheme class answers for which credentials, and what each may send where (no network). */
class AuthSchemeTest {
    private static final Credentials USER = new Credentials("alice", "pw", null);
    private static final Credentials IDENTITY = new Credentials(null, null, "refresh-me");
    private static final Credentials REGISTRY_TOKEN = Credentials.ofRegistryToken("rt");

    @Test
    void eachKindOfCredentialsHasItsScheme() {
        assertThat(AuthScheme.of(null)).isInstanceOf(AnonymousAuth.class);
        assertThat(AuthScheme.of(new Credentials("alice", null, null))).isInstanceOf(AnonymousAuth.class);
        assertThat(AuthScheme.of(USER)).isInstanceOf(BasicAuth.class);
        assertThat(AuthScheme.of(IDENTITY)).isInstanceOf(IdentityTokenAuth.class);
        assertThat(AuthScheme.of(REGISTRY_TOKEN)).isInstanceOf(BearerAuth.class);
    }

    @Test
    void onlyUserCredentialsAnswerBasicAndOnlyARegistryTokenAnswersBearerDirectly() {
        assertThat(AuthScheme.of(USER).basicAnswer()).isEqualTo(USER.basicHeader());
        assertThat(AuthScheme.of(null).basicAnswer()).isNull();
        assertThat(AuthScheme.of(IDENTITY).basicAnswer()).isNull();
        assertThat(AuthScheme.of(REGISTRY_TOKEN).basicAnswer()).isNull();

        assertThat(AuthScheme.of(REGISTRY_TOKEN).bearerAnswer()).isEqualTo("Bearer rt");
        assertThat(AuthScheme.of(USER).bearerAnswer()).isNull();
        assertThat(AuthScheme.of(IDENTITY).bearerAnswer()).isNull();
        assertThat(AuthScheme.of(null).bearerAnswer()).isNull();
    }

    @Test
    void anonymousTokenRequestsCarryNoSecret() {
        assertThat(AuthScheme.of(null).sendsSecret()).isFalse();
        assertThat(AuthScheme.of(USER).sendsSecret()).isTrue();
        assertThat(AuthScheme.of(IDENTITY).sendsSecret()).isTrue();
        assertThat(AuthScheme.of(REGISTRY_TOKEN).sendsSecret()).isFalse();
    }

    @Test
    void noSchemeShowsItsSecret() {
        for (Credentials c : new Credentials[] {USER, IDENTITY, REGISTRY_TOKEN}) {
            assertThat(AuthScheme.of(c).toString()).doesNotContain("pw").doesNotContain("refresh-me")
                    .doesNotContain("rt]");
        }
    }
}
