package dev.jpull.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpull.ConfigException;
import dev.jpull.Endpoint;
import dev.jpull.ImageReference;
import dev.jpull.RegistriesConfig;
import dev.jpull.Timeouts;
import dev.jpull.internal.resolve.EndpointResolver;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A TLS file that cannot be used names its key, the registries.yaml position and the reason (issue 12, point 3). */
class TlsFilesTest {
    @TempDir
    Path tmp;

    private final HttpClients clients = new HttpClients(Timeouts.DEFAULTS);

    private Endpoint endpoint(String tls) throws IOException {
        Path yaml = tmp.resolve("registries.yaml");
        Files.writeString(yaml, """
                configs:
                  "127.0.0.1:5443":
                    tls:
                """ + tls);
        RegistriesConfig config = RegistriesConfig.load(yaml);
        return new EndpointResolver(config, false).resolve(ImageReference.parse("127.0.0.1:5443/library/alpine"))
                .endpoints().get(0);
    }

    private String yaml() {
        return tmp.resolve("registries.yaml").toString();
    }

    @Test
    void missingCaFileNamesKeyPositionAndReason() throws IOException {
        Path missing = tmp.resolve("missing-ca.crt");
        Endpoint ep = endpoint("      ca_file: " + missing + "\n");
        assertThatThrownBy(() -> clients.forEndpoint(ep)).isInstanceOf(ConfigException.class)
                .hasMessage(yaml() + ":4:16: configs.\"127.0.0.1:5443\".tls.ca_file: cannot read " + missing
                        + ": no such file")
                .satisfies(e -> {
                    ConfigException c = (ConfigException) e;
                    assertThat(c.file()).hasToString(yaml());
                    assertThat(c.line()).isEqualTo(4);
                    assertThat(c.column()).isEqualTo(16);
                });
    }

    @Test
    void caFileThatIsNotPemSaysSo() throws IOException {
        Path notPem = Files.writeString(tmp.resolve("ca.crt"), "hello\n");
        Endpoint ep = endpoint("      insecure_skip_verify: false\n      ca_file: " + notPem + "\n");
        assertThatThrownBy(() -> clients.forEndpoint(ep)).isInstanceOf(ConfigException.class)
                .hasMessage(yaml() + ":5:16: configs.\"127.0.0.1:5443\".tls.ca_file: not PEM: no PEM data in "
                        + notPem);
    }

    @Test
    void caFileThatIsADirectorySaysSo() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("certs"));
        Endpoint ep = endpoint("      ca_file: " + dir + "\n");
        assertThatThrownBy(() -> clients.forEndpoint(ep)).isInstanceOf(ConfigException.class)
                .hasMessage(yaml() + ":4:16: configs.\"127.0.0.1:5443\".tls.ca_file: cannot read " + dir
                        + ": is a directory");
    }

    @Test
    void missingCertAndKeyFilesNameTheirOwnKeys() throws IOException {
        Path cert = tmp.resolve("client.crt");
        Path key = tmp.resolve("client.key");
        Endpoint ep = endpoint("      cert_file: " + cert + "\n      key_file: " + key + "\n");
        assertThatThrownBy(() -> clients.forEndpoint(ep))
                .hasMessage(yaml() + ":4:18: configs.\"127.0.0.1:5443\".tls.cert_file: cannot read " + cert
                        + ": no such file");
        Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        HttpClients fresh = new HttpClients(Timeouts.DEFAULTS);
        assertThatThrownBy(() -> fresh.forEndpoint(ep))
                .hasMessageStartingWith(yaml() + ":4:18: configs.\"127.0.0.1:5443\".tls.cert_file: malformed "
                        + "certificate in " + cert);
    }

    @Test
    void halfAKeyPairNamesTheKeyThatIsSet() throws IOException {
        Endpoint ep = endpoint("      key_file: /etc/client.key\n");
        assertThatThrownBy(() -> clients.forEndpoint(ep))
                .hasMessage(yaml() + ":4:17: configs.\"127.0.0.1:5443\".tls.key_file: key_file is set without "
                        + "cert_file");
    }

    @Test
    void readProblemsAreWords() {
        Path p = tmp.resolve("x");
        assertThat(Pem.readProblem(p, new AccessDeniedException(p.toString()))).isEqualTo("permission denied");
        assertThat(Pem.readProblem(p, new java.nio.file.NoSuchFileException(p.toString()))).isEqualTo("no such file");
    }
}
