package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpull.testdata.Certs;
import dev.jpull.testdata.ClosedPort;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.RegistryFixture.Mode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jpull pull} failing on every endpoint of real registries, in process: a TLS registry whose CA is not the
 * configured one, a plain-HTTP registry listed as https, and a closed port. Each attempt is told in diagnose's
 * words, with diagnose's hints; the last line names the image and says how to probe further.
 */
class PullErrorsIT {
    @TempDir
    static Path tmp;

    private static ClosedPort closed;
    private static RegistryFixture tls;
    private static RegistryFixture plain;
    private static Path config;

    @BeforeAll
    static void startRegistries() throws IOException {
        closed = ClosedPort.allocate();
        tls = RegistryFixture.start(Mode.TLS);
        plain = RegistryFixture.startEmpty();
        // the image's registry is the closed port: its default endpoint comes after the two mirrors
        config = tmp.resolve("registries.yaml");
        Files.writeString(config, "mirrors:\n"
                + "  \"" + closed.hostPort() + "\":\n"
                + "    endpoint:\n"
                + "      - \"https://" + tls.hostPort() + "\"\n"
                + "      - \"https://" + plain.hostPort() + "\"\n"
                + "configs:\n"
                + "  \"" + tls.hostPort() + "\":\n"
                + "    tls:\n"
                + "      ca_file: " + Certs.get().wrongCaCert() + "\n");
    }

    @AfterAll
    static void stopRegistries() {
        for (RegistryFixture r : new RegistryFixture[] {tls, plain}) {
            if (r != null) {
                r.close();
            }
        }
    }

    private static String imageRef() {
        return closed.hostPort() + "/library/app:1.0";
    }

    private static String untrustedHint() {
        return "unknown CA: the certificate of " + tls.hostPort() + " is issued by a CA, which is not among the "
                + "system CAs nor in configs.\"" + tls.hostPort() + "\".tls.ca_file (" + Certs.get().wrongCaCert()
                + "); point ca_file at the CA that issued the certificate";
    }

    private static String wrongSchemeHint() {
        return "wrong scheme: " + plain.hostPort() + " speaks plain HTTP, not TLS; list the endpoint as \"http://"
                + plain.hostPort() + "\" in mirrors.\"" + closed.hostPort() + "\".endpoint";
    }

    @Test
    void theLastLineNamesTheImageEachEndpointInDiagnosesWordsAndTheDiagnoseCommand() {
        CliRun r = CliRun.run(tmp, "pull", "-c", config.toString(), imageRef());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        String[] lines = r.errLines();
        assertThat(lines[lines.length - 1]).isEqualTo("jpull: " + imageRef() + ": manifest 1.0 failed on every "
                + "endpoint: https://" + tls.hostPort() + "/v2 -> tls-error: certificate not trusted: no path to a "
                + "trusted CA; " + untrustedHint() + "; https://" + plain.hostPort() + "/v2 -> tls-error: the "
                + "server does not speak TLS (it answered with plain text, e.g. HTTP); " + wrongSchemeHint()
                + "; http://" + closed.hostPort() + "/v2 -> refused: connection refused: nothing listens on "
                + closed.hostPort() + "; run 'jpull diagnose " + imageRef() + "' to probe each endpoint");
        assertThat(r.err()).doesNotContain("PKIX").doesNotContain("SSLHandshakeException")
                .doesNotContain("sun.security");
    }

    @Test
    void eachJsonAttemptHasTheSameWordsAndHints() throws IOException {
        CliRun r = CliRun.run(tmp, "pull", "-o", "json", "-c", config.toString(), imageRef());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.path("error").asText()).startsWith(imageRef() + ": manifest 1.0 failed on every endpoint");
        JsonNode attempts = root.path("attempts");
        assertThat(attempts).extracting(a -> a.path("outcome").asText())
                .containsExactly("tls-error", "tls-error", "refused");
        assertThat(attempts.get(0).path("error").asText())
                .isEqualTo("certificate not trusted: no path to a trusted CA; " + untrustedHint());
        assertThat(attempts.get(1).path("error").asText()).endsWith("; " + wrongSchemeHint());
    }

    @Test
    void diagnoseGivesTheSameHintsForTheSameEndpoints() {
        CliRun r = CliRun.run(tmp, "diagnose", "-c", config.toString(), imageRef());

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
        var lines = Arrays.asList(r.out().split("\\R"));
        // diagnose read the certificate, so it can name the issuer where pull says "a CA"
        assertThat(lines).anySatisfy(l -> assertThat(l.replaceFirst("issued by .*, which", "issued by a CA, which"))
                .isEqualTo("hint: #1 " + untrustedHint()));
        assertThat(lines).contains("hint: #2 " + wrongSchemeHint());
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("connection refused: nothing listens on "
                + closed.hostPort()));
    }
}
