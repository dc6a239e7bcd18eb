package dev.jpull.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpull.CredentialsException;
import dev.jpull.AuthConfig;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CredentialsTest {
    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void usernameAndPassword() {
        Credentials c = Credentials.from(new AuthConfig("alice", "s3cret", null, null), "h");
        assertThat(c).isEqualTo(new Credentials("alice", "s3cret", null));
        assertThat(c.basicHeader()).isEqualTo("Basic " + b64("alice:s3cret"));
    }

    @Test
    void authFieldIsSplitAtTheFirstColon() {
        Credentials c = Credentials.from(new AuthConfig(null, null, b64("bob:pa:ss"), null), "h");
        assertThat(c).isEqualTo(new Credentials("bob", "pa:ss", null));
    }

    @Test
    void identityTokenOnly() {
        Credentials c = Credentials.from(new AuthConfig(null, null, null, "refresh-xyz"), "h");
        assertThat(c).isEqualTo(new Credentials(null, null, "refresh-xyz"));
        assertThat(c.hasBasic()).isFalse();
    }

    @Test
    void nothingSet() {
        assertThat(Credentials.from(null, "h")).isNull();
        assertThat(Credentials.from(new AuthConfig(null, null, null, null), "h")).isNull();
    }

    @Test
    void badAuthFieldNamesTheHostWithoutShowingTheValue() {
        assertThatThrownBy(() -> Credentials.from(new AuthConfig(null, null, "%%%not-base64", null), "reg.example"))
                .isInstanceOf(CredentialsException.class)
                .hasMessageContaining("configs.reg.example.auth")
                .hasMessageNotContaining("not-base64");
        assertThatThrownBy(() -> Credentials.from(new AuthConfig(null, null, b64("nocolon"), null), "reg.example"))
                .isInstanceOf(CredentialsException.class)
                .hasMessageNotContaining("nocolon");
    }

    @Test
    void toStringAndCacheIdentityHideSecrets() {
        Credentials c = new Credentials("alice", "s3cret", null);
        assertThat(c.toString()).contains("alice").doesNotContain("s3cret");
        assertThat(c.cacheIdentity()).contains("alice").doesNotContain("s3cret");
        assertThat(c.cacheIdentity()).isNotEqualTo(new Credentials("alice", "other", null).cacheIdentity());
        Credentials t = new Credentials(null, null, "refresh-xyz");
        assertThat(t.toString()).doesNotContain("refresh-xyz");
        assertThat(t.cacheIdentity()).doesNotContain("refresh-xyz");
    }
}
