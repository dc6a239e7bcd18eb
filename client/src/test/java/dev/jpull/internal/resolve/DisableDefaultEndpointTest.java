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
 * {@code --disable-default-endpoint} where K3s keeps the default endpoint anyway: K3s's behaviour is kept, with a
 * warning that says so and why (issue 12, point 5).
 */
class DisableDefaultEndpointTest {
    @TempDir
    Path dir;

    private RegistriesConfig yaml(String text) throws Exception {
        return RegistriesConfig.load(Files.writeString(dir.resolve("registries.yaml"), text));
    }

    private static EndpointPlan plan(RegistriesConfig c) {
        return new EndpointResolver(c, true).resolve(ImageReference.parse("alpine"));
    }

    @Test
    void everyEndpointInvalid() throws Exception {
        RegistriesConfig c = yaml("""
                mirrors:
                  docker.io:
                    endpoint:
                      - htp://mirror.example.com
                      - "http://bad host"
                """);
        EndpointPlan plan = plan(c);
        assertThat(plan.endpoints()).extracting(Endpoint::baseUrl).containsExactly("https://registry-1.docker.io/v2");
        assertThat(plan.warnings()).extracting(ConfigWarning::located).contains(c.source() + ":2:3: "
                + "--disable-default-endpoint has no effect for mirrors.\"docker.io\": none of its endpoints is "
                + "usable (see the warnings above); https://registry-1.docker.io/v2 is used after all, as K3s does");
        assertThat(ContainerdRender.render(c, true, dir.resolve("certs.d")).warnings())
                .extracting(ConfigWarning::located).contains(c.source() + ":2:3: --disable-default-endpoint has "
                        + "no effect for mirrors.\"docker.io\": none of its endpoints is usable (see the warnings "
                        + "above); https://registry-1.docker.io/v2 is used after all, as K3s does");
    }

    @Test
    void noEndpointListed() throws Exception {
        RegistriesConfig c = yaml("mirrors:\n  docker.io:\n");
        EndpointPlan plan = plan(c);
        assertThat(plan.endpoints()).extracting(Endpoint::baseUrl).containsExactly("https://registry-1.docker.io/v2");
        assertThat(plan.warnings()).extracting(ConfigWarning::message).containsExactly("--disable-default-endpoint "
                + "has no effect for mirrors.\"docker.io\": it lists no endpoint; https://registry-1.docker.io/v2 "
                + "is used after all, as K3s does");
    }

    @Test
    void configsUnderTheMirrorNameKeepTheDefault() throws Exception {
        RegistriesConfig c = yaml("""
                mirrors:
                  registry.example.com:
                    endpoint: [https://mirror.example.com]
                configs:
                  registry.example.com:
                    auth: {username: u, password: p}
                """);
        EndpointPlan plan = new EndpointResolver(c, true)
                .resolve(ImageReference.parse("registry.example.com/app:1"));
        assertThat(plan.endpoints()).extracting(Endpoint::baseUrl)
                .containsExactly("https://mirror.example.com/v2", "https://registry.example.com/v2");
        assertThat(plan.warnings()).extracting(ConfigWarning::located).containsExactly(c.source() + ":2:3: "
                + "--disable-default-endpoint has no effect for mirrors.\"registry.example.com\": "
                + "configs.\"registry.example.com\" exists, and K3s then writes the registry itself as the server "
                + "of its hosts.toml; https://registry.example.com/v2 is used after all, as K3s does");
        assertThat(ContainerdRender.render(c, true, dir.resolve("certs.d")).files()
                .get("certs.d/registry.example.com/hosts.toml")).contains("server = \"https://registry.example.com/v2\"");
    }

    @Test
    void aUsableEndpointDropsTheDefaultWithoutThisWarning() throws Exception {
        RegistriesConfig c = yaml("""
                mirrors:
                  docker.io:
                    endpoint: [htp://typo.example.com, https://mirror.example.com]
                """);
        EndpointPlan plan = plan(c);
        assertThat(plan.endpoints()).extracting(Endpoint::baseUrl).containsExactly("https://mirror.example.com/v2");
        assertThat(plan.warnings()).extracting(ConfigWarning::message)
                .noneMatch(m -> m.contains("--disable-default-endpoint"));
    }
}
