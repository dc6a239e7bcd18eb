package dev.jpull.internal.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.ConfigWarning;
import dev.jpull.Endpoint;
import dev.jpull.EndpointPlan;
import dev.jpull.ImageReference;
import dev.jpull.RegistriesConfig;
import dev.jpull.internal.render.ContainerdRender;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code configs."*".auth}: K3s writes it into containerd's config, and containerd never uses it (credentials are
 * looked up by exact host). resolve and config render agree with that, and say so (issue 12, point 10).
 */
class WildcardAuthTest {
    @TempDir
    Path dir;

    @Test
    void wildcardCredentialsAreNeverSentAndTheFileSaysWhy() throws Exception {
        Path file = Files.writeString(dir.resolve("registries.yaml"), """
                mirrors:
                  "*":
                    endpoint: ["https://mirror.example.com"]
                configs:
                  "*":
                    auth:
                      username: admin
                      password: s3cret
                    tls:
                      insecure_skip_verify: true
                  mirror.example.com:
                    auth: {username: m, password: p}
                """);
        RegistriesConfig c = RegistriesConfig.load(file);
        String warning = file + ":6:5: configs.\"*\".auth is never used: K3s passes it to containerd, which looks "
                + "credentials up by the exact host that asks for them, so pulls to registries without their own "
                + "configs entry go without credentials (k3s-io/docs#359); jpull does the same. Put them under "
                + "configs.\"<host>\".auth for each host";
        assertThat(c.warnings()).extracting(ConfigWarning::located).containsExactly(warning);

        EndpointPlan plan = new EndpointResolver(c, false).resolve(ImageReference.parse("ghcr.io/org/app:1"));
        Endpoint mirror = plan.endpoints().get(0);
        Endpoint upstream = plan.endpoints().get(1);
        assertThat(mirror.credentialsKind()).as("the mirror's own entry").isEqualTo("basic");
        assertThat(upstream.baseUrl()).isEqualTo("https://ghcr.io/v2");
        assertThat(upstream.credentialsKind()).as("configs.\"*\".auth is not used").isEqualTo("none");
        assertThat(upstream.config().auth()).isNull();
        assertThat(upstream.tlsMode()).as("its tls still is").isEqualTo("https insecure-skip-verify");
        assertThat(plan.warnings()).extracting(ConfigWarning::located).contains(warning);

        ContainerdRender.Rendered r = ContainerdRender.render(c, false, dir.resolve("out/certs.d"));
        assertThat(r.files().get("config.toml")).as("rendered as K3s renders it")
                .contains("registry.configs.\"*\".auth]");
        assertThat(r.warnings()).extracting(ConfigWarning::message).noneMatch(m -> m.contains("\"*\".auth"));
    }
}
