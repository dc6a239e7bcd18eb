package dev.jpull.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpull.Endpoint;
import dev.jpull.EndpointPlan;
import dev.jpull.Jpull;
import dev.jpull.RegistriesConfig;
import dev.jpull.spi.CredentialSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials given for one run go to the image's registry only: its own endpoint, and a mirror on the same
 * host (as K3s {@code configs} keyed by that host would), never a mirror on another host (containers/image drops
 * {@code --creds} for such a mirror).
 */
class GivenCredentialsTest {
    @TempDir
    Path tmp;

    private EndpointPlan plan(String yaml, String image) throws IOException {
        Path file = tmp.resolve("registries.yaml");
        Files.writeString(file, yaml);
        return Jpull.builder().store(tmp.resolve("store")).config(RegistriesConfig.load(file)).build().resolve(image);
    }

    @Test
    void onlyTheRegistrysOwnHostGetsThemNeverAMirrorOnAnotherHost() throws IOException {
        EndpointPlan plan = plan("mirrors:\n  reg.example:5000:\n    endpoint:\n"
                + "      - https://mirror.example:5001\n      - https://reg.example:5000/v2/proxy\n",
                "reg.example:5000/team/app:1");
        List<Endpoint> eps = plan.endpoints();
        assertThat(eps).extracting(Endpoint::host)
                .containsExactly("mirror.example:5001", "reg.example:5000", "reg.example:5000");
        for (CredentialSource s : List.of(CredentialSource.forImageRegistry("u", "secret"),
                CredentialSource.forRegistry("reg.example:5000", "u", "secret"))) {
            assertThat(s.find(eps.get(0))).as(s + " to the mirror on another host").isNull();
            assertThat(s.find(eps.get(1))).as(s + " to a mirror on the registry's host").isNotNull();
            assertThat(s.find(eps.get(2))).as(s + " to the registry").isNotNull();
            assertThat(s.find(eps.get(2)).credentials().secret()).isEqualTo("secret");
        }
        assertThat(CredentialSource.forRegistry("other.example", "u", "secret").find(eps.get(2))).isNull();
    }

    @Test
    void dockerHubsNamesAreOneRegistry() throws IOException {
        EndpointPlan plan = plan("mirrors:\n  docker.io:\n    endpoint:\n      - https://hub-mirror.example\n",
                "alpine");
        Endpoint mirror = plan.endpoints().get(0);
        Endpoint hub = plan.endpoints().get(plan.endpoints().size() - 1);
        assertThat(hub.isDefault()).isTrue();
        assertThat(CredentialSource.forRegistry("docker.io", "u", "p").find(hub)).isNotNull();
        assertThat(CredentialSource.forImageRegistry("u", "p").find(hub)).isNotNull();
        assertThat(CredentialSource.forRegistry("docker.io", "u", "p").find(mirror)).isNull();
        assertThat(CredentialSource.forImageRegistry("u", "p").find(mirror)).isNull();
    }

    @Test
    void neverShowsTheSecretAndRefusesAnEmptyUserOrAPath() {
        CredentialSource s = CredentialSource.forRegistry("reg.example", "u", "s3cr3t-value");
        assertThat(s.toString()).doesNotContain("s3cr3t-value").contains("reg.example");
        assertThat(CredentialSource.forImageRegistry("u", "s3cr3t-value").toString()).doesNotContain("s3cr3t-value");
        assertThatThrownBy(() -> CredentialSource.forRegistry("reg.example", "", "p"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CredentialSource.forRegistry("reg.example/repo", "u", "p"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
