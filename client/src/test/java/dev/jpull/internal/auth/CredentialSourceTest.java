package dev.jpull.internal.auth;

import dev.jpull.spi.CredentialSource;
import dev.jpull.spi.Credentials;

import static dev.jpull.internal.auth.DockerConfigCredentialsTest.b64;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.AuthConfig;
import dev.jpull.RegistryConfig;
import dev.jpull.Endpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Order of the standard chain: registries.yaml, then containers auth.json, then Docker config.json. */
class CredentialSourceTest {
    @TempDir
    Path tmp;

    private static Endpoint ep(String host, AuthConfig yaml) {
        return new Endpoint("https", host, "/v2", "team/app", null, new RegistryConfig(yaml, null),
                yaml == null ? null : host, false, host);
    }

    private void write(String relative, String user, String... hosts) throws IOException {
        StringBuilder auths = new StringBuilder();
        for (String h : hosts) {
            auths.append(auths.length() == 0 ? "" : ",").append('"').append(h).append("\":{\"auth\":\"")
                    .append(b64(user + ":pw")).append("\"}");
        }
        Path p = tmp.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "{\"auths\":{" + auths + "}}");
    }

    @Test
    void registriesYamlThenAuthJsonThenDockerConfig() throws IOException {
        Path home = tmp.resolve("home");
        write("home/.config/containers/auth.json", "podman", "a.example", "b.example");
        write("home/.docker/config.json", "docker", "a.example", "b.example", "c.example");
        CredentialSource chain = CredentialSource.standard(Map.of(), home);

        CredentialSource.Found a = chain.find(ep("a.example", new AuthConfig("yaml", "pw", null, null)));
        assertThat(a.credentials().username()).isEqualTo("yaml");
        assertThat(a.origin()).isEqualTo("registries.yaml configs.a.example");
        assertThat(chain.find(ep("b.example", null)).credentials().username()).isEqualTo("podman");
        assertThat(chain.find(ep("c.example", null)).credentials().username()).isEqualTo("docker");
        assertThat(chain.find(ep("c.example", null)).origin()).isEqualTo(home.resolve(".docker/config.json").toString());
        assertThat(chain.find(ep("d.example", null))).isNull();
        // an empty registries.yaml auth does not hide the files
        assertThat(chain.find(ep("b.example", new AuthConfig(null, null, null, null))).credentials().username())
                .isEqualTo("podman");
    }

    @Test
    void chainOfCustomSourcesAndNone() {
        Credentials c = new Credentials("u", "p", null);
        CredentialSource fixed = ep -> ep.host().equals("x.example") ? new CredentialSource.Found(c, "test") : null;
        CredentialSource chain = CredentialSource.chain(List.of(CredentialSource.none(), fixed));
        assertThat(chain.find(ep("x.example", null))).isEqualTo(new CredentialSource.Found(c, "test"));
        assertThat(chain.find(ep("y.example", null))).isNull();
    }
}
