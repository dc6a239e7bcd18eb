package dev.jpull.internal.diagnose;

import dev.jpull.AuthResult;
import dev.jpull.DiagnosisReport;
import dev.jpull.EndpointDiagnosis;
import dev.jpull.TlsResult;
import dev.jpull.Verdict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpull.Jpull;
import dev.jpull.RegistriesConfig;
import dev.jpull.testdata.Image;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.RegistryFixture.Mode;
import dev.jpull.testdata.Skopeo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Jpull#diagnose} against real registries: the mistakes an operator makes in registries.yaml. */
class DiagnoserRealRegistryIT {
    @TempDir
    static Path tmp;

    private static RegistryFixture plain;
    private static RegistryFixture tls;
    private static RegistryFixture basic;
    private static RegistryFixture token;
    private static Image image;

    @BeforeAll
    static void start() {
        plain = RegistryFixture.start(Mode.PLAIN);
        tls = RegistryFixture.start(Mode.TLS);
        basic = RegistryFixture.start(Mode.BASIC_AUTH);
        token = RegistryFixture.start(Mode.TOKEN);
        image = new ImageGenerator(3).singlePlatform(tmp.resolve("layout"), "app", 1, 500);
        for (RegistryFixture r : List.of(tls, token)) {
            Skopeo.copyToRegistry(image.layoutDir(), "app", r, "library/app:1.0");
        }
    }

    @AfterAll
    static void stop() {
        for (RegistryFixture r : new RegistryFixture[] {plain, tls, basic, token}) {
            if (r != null) {
                r.close();
            }
        }
    }

    private static DiagnosisReport diagnose(String yaml, String ref) throws IOException {
        Path file = Files.writeString(Files.createTempFile(tmp, "registries", ".yaml"), yaml);
        Jpull jpull = Jpull.builder().config(RegistriesConfig.load(file)).store(tmp.resolve("store"))
                .disableDefaultEndpoint(true).build();
        return jpull.diagnose(ref);
    }

    @Test
    void recognisesWrongSchemesPathAsApiRootAndCredentialsUnderTheMirrorName() throws IOException {
        DiagnosisReport report = diagnose("mirrors:\n"
                + "  \"127.0.0.1:1\":\n"
                + "    endpoint:\n"
                + "      - \"https://" + plain.hostPort() + "\"\n"
                + "      - \"http://" + tls.hostPort() + "\"\n"
                + "      - \"http://" + plain.hostPort() + "/mirror\"\n"
                + "      - \"http://" + basic.hostPort() + "\"\n"
                + "configs:\n"
                + "  \"127.0.0.1:1\":\n"
                + "    auth:\n"
                + "      username: " + RegistryFixture.USERNAME + "\n"
                + "      password: " + RegistryFixture.PASSWORD + "\n",
                "127.0.0.1:1/library/app:1.0");

        List<EndpointDiagnosis> eps = report.endpoints();
        // configs."127.0.0.1:1" has the mirror's name: K3s then keeps the registry itself as the hosts.toml server
        // despite --disable-default-endpoint (the plan warns), so it is probed last (nothing listens on port 1;
        // a loopback name, so that no DNS query leaves the machine)
        assertThat(eps).extracting(EndpointDiagnosis::verdict).containsExactly(
                Verdict.TLS_ERROR, Verdict.PROTOCOL_ERROR, Verdict.NOT_A_REGISTRY, Verdict.UNAUTHORIZED,
                Verdict.UNREACHABLE);
        assertThat(eps.get(4).baseUrl()).isEqualTo("http://127.0.0.1:1/v2");
        assertThat(report.servable()).isFalse();

        assertThat(eps.get(0).tls().failure()).isEqualTo(TlsResult.PLAINTEXT);
        assertThat(eps.get(0).hints()).singleElement().asString()
                .startsWith("wrong scheme: " + plain.hostPort() + " speaks plain HTTP")
                .contains("\"http://" + plain.hostPort() + "\" in mirrors.\"127.0.0.1:1\".endpoint");

        assertThat(eps.get(1).tls().subject()).isEqualTo("CN=jpull-test-server");
        assertThat(eps.get(1).ping().status()).isEqualTo(400); // Go's TLS server answering plain HTTP
        assertThat(eps.get(1).hints()).singleElement().asString()
                .startsWith("wrong scheme: " + tls.hostPort() + " speaks TLS");

        assertThat(eps.get(2).ping().status()).isEqualTo(404);
        assertThat(eps.get(2).ping().registryRoot()).isEqualTo("http://" + plain.hostPort() + "/v2/");
        assertThat(eps.get(2).hints()).singleElement().asString().startsWith("path used as API root:")
                .endsWith("write the endpoint as \"http://" + plain.hostPort() + "\"");

        assertThat(eps.get(3).auth().scheme()).isEqualTo("basic");
        assertThat(eps.get(3).auth().credentials()).isEqualTo("none");
        assertThat(eps.get(3).hints()).containsExactly("credentials under the wrong name: configs.\"127.0.0.1:1\" "
                + "has credentials, but they are looked up by endpoint host; move them to configs.\""
                + basic.hostPort() + "\"");
    }

    @Test
    void verifiedTlsAndBearerTokenServeTheImageWithoutShowingSecrets() throws IOException {
        DiagnosisReport report = diagnose("mirrors:\n"
                + "  example.test:\n"
                + "    endpoint:\n"
                + "      - \"https://" + tls.hostPort() + "\"\n"
                + "      - \"http://" + token.hostPort() + "\"\n"
                + "configs:\n"
                + "  \"" + tls.hostPort() + "\":\n"
                + "    tls:\n"
                + "      ca_file: " + tls.certs().caCert() + "\n"
                + "  \"" + token.hostPort() + "\":\n"
                + "    auth:\n"
                + "      username: " + RegistryFixture.USERNAME + "\n"
                + "      password: " + RegistryFixture.PASSWORD + "\n",
                "example.test/library/app:1.0");

        List<EndpointDiagnosis> eps = report.endpoints();
        assertThat(eps).extracting(EndpointDiagnosis::verdict).containsExactly(Verdict.OK, Verdict.OK);
        assertThat(eps).allSatisfy(e -> {
            assertThat(e.manifest().digest()).isEqualTo(image.manifestDigest());
            assertThat(e.hints()).isEmpty();
        });

        TlsResult t = eps.get(0).tls();
        assertThat(t.verified()).isTrue();
        assertThat(t.issuer()).isEqualTo("CN=jpull test CA");
        assertThat(t.names()).contains("127.0.0.1");

        AuthResult a = eps.get(1).auth();
        assertThat(a.scheme()).isEqualTo("bearer");
        assertThat(a.tokenObtained()).isTrue();
        assertThat(a.credentials()).isEqualTo("basic");
        assertThat(a.realm()).startsWith("http").doesNotContain("?");
        assertThat(report.toString()).doesNotContain(RegistryFixture.PASSWORD).doesNotContain("Bearer ");
    }

    @Test
    void tokenRegistryWithoutCredentialsIsUnauthorized() throws IOException {
        DiagnosisReport report = diagnose("mirrors:\n  example.test:\n    endpoint:\n      - \"http://"
                + token.hostPort() + "\"\n", "example.test/library/app:1.0");

        EndpointDiagnosis d = report.endpoints().get(0);
        assertThat(d.verdict()).isEqualTo(Verdict.UNAUTHORIZED);
        assertThat(d.auth().scheme()).isEqualTo("bearer");
        assertThat(d.auth().credentials()).isEqualTo("none");
        assertThat(d.auth().tokenObtained()).isTrue(); // anonymous token, without pull access
        assertThat(d.manifest().status()).isEqualTo(401);
        assertThat(d.hints()).singleElement().asString().contains("none are configured");
    }

    @Test
    void unreadableCaFileIsAConfigError() throws IOException {
        DiagnosisReport report = diagnose("mirrors:\n  example.test:\n    endpoint:\n      - \"https://"
                + tls.hostPort() + "\"\nconfigs:\n  \"" + tls.hostPort() + "\":\n    tls:\n      ca_file: "
                + tmp.resolve("missing-ca.pem") + "\n", "example.test/library/app:1.0");

        EndpointDiagnosis d = report.endpoints().get(0);
        assertThat(d.verdict()).isEqualTo(Verdict.CONFIG_ERROR);
        assertThat(d.detail()).endsWith(":8:16: configs.\"" + tls.hostPort() + "\".tls.ca_file: cannot read "
                + tmp.resolve("missing-ca.pem") + ": no such file");
        assertThat(d.tcp().ok()).isTrue();
    }
}
