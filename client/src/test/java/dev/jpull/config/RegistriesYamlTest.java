package dev.jpull.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpull.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistriesYamlTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        Path file = dir.resolve("registries.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private RegistriesConfig load(String yaml) throws Exception {
        return RegistriesConfig.load(write(yaml));
    }

    private ConfigException failure(String yaml) throws Exception {
        Path file = write(yaml);
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> RegistriesConfig.load(file));
        assertThat(t).isInstanceOf(ConfigException.class);
        ConfigException e = (ConfigException) t;
        assertThat(e.file()).isEqualTo(file);
        assertThat(e.exitCode()).isEqualTo(2);
        assertThat(e.getMessage()).doesNotContain("\n");
        return e;
    }

    @Test
    void missingFileIsAnErrorNamingTheFile() {
        Path file = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> RegistriesConfig.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": cannot read: no such file");
    }

    @Test
    void directoryIsAnError() {
        assertThatThrownBy(() -> RegistriesConfig.load(dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(dir + ": cannot read: ");
    }

    @Test
    void emptyFileAndCommentOnlyFileAreEmptyConfigs() throws Exception {
        for (String text : List.of("", "# nothing here\n", "---\n")) {
            RegistriesConfig c = load(text);
            assertThat(c.mirrors()).isEmpty();
            assertThat(c.configs()).isEmpty();
            assertThat(c.warnings()).isEmpty();
        }
    }

    @Test
    void malformedYamlReportsOneBasedLineAndColumn() throws Exception {
        ConfigException e = failure("mirrors:\n  docker.io:\n    endpoint: [\"https://a\"\n  other: x\n");
        assertThat(e.line()).isPositive();
        assertThat(e.column()).isPositive();
        assertThat(e.getMessage()).startsWith(e.file() + ":" + e.line() + ":" + e.column() + ": invalid YAML: ");
    }

    @Test
    void tabIndentationIsReportedAtTheTab() throws Exception {
        ConfigException e = failure("mirrors:\n\tdocker.io: {}\n");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isEqualTo(1);
        assertThat(e.getMessage()).contains("invalid YAML");
    }

    @Test
    void theK3sDocsRewriteSnippetIsInvalidYaml() {
        Path file = Path.of("..", "testdata", "k3s", "rewrite-port-443-as-in-docs.yaml");
        assertThatThrownBy(() -> RegistriesConfig.load(file))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.line()).isEqualTo(4);
                    assertThat(e.getMessage()).startsWith(file + ":4:").contains("invalid YAML");
                });
    }

    @Test
    void endpointMustBeAList() throws Exception {
        ConfigException e = failure("mirrors:\n  docker.io:\n    endpoint: https://mirror.example.com\n");
        assertThat(e.getMessage()).isEqualTo(e.file()
                + ":3:15: mirrors.\"docker.io\".endpoint must be a list of strings, not a string");
    }

    @Test
    void endpointItemsMustBeScalars() throws Exception {
        ConfigException e = failure("mirrors:\n  docker.io:\n    endpoint:\n      - {url: x}\n");
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.getMessage()).contains("mirrors.\"docker.io\".endpoint[0] must be a string, not a mapping");
    }

    @Test
    void insecureSkipVerifyMustBeABoolean() throws Exception {
        ConfigException e = failure("configs:\n  r.example.com:\n    tls:\n      insecure_skip_verify: \"true\"\n");
        assertThat(e.getMessage()).isEqualTo(e.file() + ":4:29: configs.\"r.example.com\".tls.insecure_skip_verify"
                + " must be true or false, not a string");
    }

    @Test
    void yaml11BooleansAreAccepted() throws Exception {
        RegistriesConfig c = load("configs:\n  a:\n    tls:\n      insecure_skip_verify: yes\n"
                + "  b:\n    tls:\n      insecure_skip_verify: False\n");
        assertThat(c.configs().get("a").tls().insecureSkipVerify()).isTrue();
        assertThat(c.configs().get("b").tls().insecureSkipVerify()).isFalse();
    }

    @Test
    void wrongTypeMessagesDoNotShowSecrets() throws Exception {
        ConfigException e = failure("configs:\n  r:\n    auth:\n      password: [s3cr3t-value]\n");
        assertThat(e.getMessage()).contains("configs.\"r\".auth.password must be a string, not a list")
                .doesNotContain("s3cr3t");
    }

    @Test
    void topLevelMustBeAMapping() throws Exception {
        ConfigException e = failure("- mirrors\n");
        assertThat(e.getMessage()).isEqualTo(e.file() + ":1:1: the top level must be a mapping, not a list");
    }

    @Test
    void mirrorsMustBeAMapping() throws Exception {
        ConfigException e = failure("mirrors:\n  - docker.io\n");
        assertThat(e.getMessage()).contains(":2:3: mirrors must be a mapping, not a list");
    }

    @Test
    void duplicateKeysAreErrors() throws Exception {
        ConfigException e = failure("mirrors:\n  docker.io:\n    endpoint: [a]\n  docker.io:\n    endpoint: [b]\n");
        assertThat(e.getMessage()).isEqualTo(e.file() + ":4:3: duplicate key 'docker.io' in mirrors");
    }

    @Test
    void nullValuesAreAccepted() throws Exception {
        RegistriesConfig c = load("mirrors:\n  docker.io:\n  quay.io:\n    endpoint:\n    rewrite:\n"
                + "configs:\n  \"docker.io\":\n  r:\n    auth:\n    tls:\n");
        assertThat(c.mirrors().get("docker.io")).isEqualTo(new Mirror(List.of(), java.util.Map.of()));
        assertThat(c.mirrors().get("quay.io").endpoints()).isEmpty();
        assertThat(c.configs()).containsKeys("docker.io", "r");
        assertThat(c.configs().get("docker.io")).isEqualTo(RegistryConfig.EMPTY);
        assertThat(c.configs().get("r")).isEqualTo(RegistryConfig.EMPTY);
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void emptyStringsMeanNotSet() throws Exception {
        RegistriesConfig c = load("mirrors:\n  docker.io:\n    endpoint: ['', 'https://m', \"\"]\n"
                + "configs:\n  m:\n    auth: {username: '', password: '', auth: '', identity_token: ''}\n"
                + "    tls: {ca_file: '', cert_file: '', key_file: ''}\n");
        assertThat(c.mirrors().get("docker.io").endpoints()).containsExactly("https://m");
        AuthConfig auth = c.configs().get("m").auth();
        assertThat(auth).isEqualTo(new AuthConfig(null, null, null, null));
        assertThat(auth.isSet()).isFalse();
        assertThat(c.configs().get("m").tls()).isEqualTo(new TlsConfig(null, null, null, false));
    }

    @Test
    void scalarsOfOtherTypesAreReadAsText() throws Exception {
        RegistriesConfig c = load("configs:\n  r:\n    auth:\n      username: 12345\n      password: true\n");
        assertThat(c.configs().get("r").auth().username()).isEqualTo("12345");
        assertThat(c.configs().get("r").auth().password()).isEqualTo("true");
    }

    @Test
    void orderIsKeptForMirrorsConfigsEndpointsAndRewrites() throws Exception {
        RegistriesConfig c = load("mirrors:\n  z.example.com:\n    endpoint: [c, a, b]\n"
                + "    rewrite:\n      \"^z\": \"1\"\n      \"^a\": \"2\"\n      \"^m\": \"3\"\n"
                + "  a.example.com: {}\n  \"*\": {}\n"
                + "configs:\n  zz: {}\n  aa: {}\n");
        assertThat(c.mirrors().keySet()).containsExactly("z.example.com", "a.example.com", "*");
        assertThat(c.mirrors().get("z.example.com").endpoints()).containsExactly("c", "a", "b");
        assertThat(c.mirrors().get("z.example.com").rewrites().keySet()).containsExactly("^z", "^a", "^m");
        assertThat(c.configs().keySet()).containsExactly("zz", "aa");
    }

    @Test
    void relativeTlsPathsAreKeptAsWritten() throws Exception {
        RegistriesConfig c = load("configs:\n  r:\n    tls:\n      ca_file: certs/ca.pem\n"
                + "      cert_file: /abs/c.pem\n      key_file: ./k.pem\n");
        TlsConfig tls = c.configs().get("r").tls();
        assertThat(tls.caFile()).isEqualTo(Path.of("certs/ca.pem"));
        assertThat(tls.certFile()).isEqualTo(Path.of("/abs/c.pem"));
        assertThat(tls.keyFile()).isEqualTo(Path.of("./k.pem"));
    }

    @Test
    void unknownKeysAreWarningsWithPositions() throws Exception {
        RegistriesConfig c = load("mirrors:\n  docker.io:\n    endpoints:\n      - https://m\n"
                + "configs:\n  m:\n    auth:\n      token: abc\n    tls:\n      ca: x\n    proxy: y\n"
                + "registries: {}\n");
        Path f = c.source();
        assertThat(c.mirrors().get("docker.io").endpoints()).isEmpty();
        assertThat(c.warnings()).extracting(ConfigWarning::toString).containsExactly(
                f + ":12:1: warning: unknown key 'registries' at the top level (K3s ignores it)",
                f + ":3:5: warning: unknown key 'endpoints' in mirrors.\"docker.io\" (K3s ignores it);"
                        + " did you mean 'endpoint'?",
                f + ":11:5: warning: unknown key 'proxy' in configs.\"m\" (K3s ignores it)",
                f + ":8:7: warning: unknown key 'token' in configs.\"m\".auth (K3s ignores it); K3s has no token"
                        + " field; identity_token is an OAuth2 refresh (identity) token, not a bearer token",
                f + ":10:7: warning: unknown key 'ca' in configs.\"m\".tls (K3s ignores it); did you mean 'ca_file'?");
        assertThat(c.warnings().get(0).line()).isEqualTo(12);
        assertThat(c.warnings().get(0).column()).isEqualTo(1);
        assertThat(c.warnings()).extracting(ConfigWarning::message).noneMatch(m -> m.contains("abc"));
    }

    @Test
    void legacyAuthsIsAcceptedWithAWarning() throws Exception {
        RegistriesConfig c = load("auths:\n  r.example.com:\n    username: u\n");
        assertThat(c.mirrors()).isEmpty();
        assertThat(c.configs()).isEmpty();
        assertThat(c.warnings()).singleElement().satisfies(w -> {
            assertThat(w.line()).isEqualTo(1);
            assertThat(w.message()).contains("'auths' is a legacy field that K3s does not use");
        });
    }

    @Test
    void authToStringHidesSecrets() throws Exception {
        RegistriesConfig c = load("configs:\n  r:\n    auth:\n      username: alice\n      password: pw-XYZ\n"
                + "      auth: YWxpY2U6cHc=\n      identity_token: tok-XYZ\n");
        assertThat(c.configs().get("r").toString()).contains("alice").doesNotContain("XYZ", "YWxp");
    }
}
