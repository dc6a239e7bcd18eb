package dev.jpull.internal.config;

import dev.jpull.AuthConfig;
import dev.jpull.ConfigWarning;
import dev.jpull.Mirror;
import dev.jpull.RegistriesConfig;
import dev.jpull.RegistryConfig;
import dev.jpull.TlsConfig;

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
                + " must be true or false, not a string; did you mean true without quotes?");
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
    void duplicateKeysAreAcceptedAsK3sDoesTheLaterWinsWithAWarning() throws Exception {
        RegistriesConfig c = load("mirrors:\n  docker.io:\n    endpoint: [a]\n  docker.io:\n    endpoint: [b]\n");
        assertThat(c.mirrors().get("docker.io").endpoints()).containsExactly("b");
        assertThat(c.warnings()).extracting(ConfigWarning::toString).containsExactly(c.source()
                + ":4:3: warning: duplicate key 'docker.io' in mirrors (also at line 2); K3s accepts it and the"
                + " later value overrides the earlier one");
    }

    @Test
    void duplicateKeysFollowYamlV2FieldByFieldForMapsAndAuthTls() throws Exception {
        // yaml.v2 decodes a repeated key into the same map or struct pointer: maps and auth/tls are filled up,
        // a map entry (mirrors.<name>, configs.<host>) and a list (endpoint) are replaced
        RegistriesConfig c = load("""
                mirrors:
                  a.example.com:
                    endpoint: [https://one]
                    rewrite: {"^x/(.*)": "y/$1"}
                    rewrite: {"^p/(.*)": "q/$1"}
                configs:
                  r:
                    auth: {username: u, password: p1}
                    auth: {password: p2}
                    tls: {insecure_skip_verify: true}
                    tls:
                mirrors:
                  b.example.com:
                    endpoint: [https://two]
                    endpoint: [https://three]
                """);
        assertThat(c.mirrors()).containsOnlyKeys("a.example.com", "b.example.com");
        assertThat(c.mirrors().get("a.example.com").rewrites()).containsOnlyKeys("^x/(.*)", "^p/(.*)");
        assertThat(c.mirrors().get("b.example.com").endpoints()).containsExactly("https://three");
        AuthConfig auth = c.configs().get("r").auth();
        assertThat(auth.username()).isEqualTo("u");
        assertThat(auth.password()).isEqualTo("p2");
        assertThat(c.configs().get("r").tls()).as("a null tls: resets it").isNull();
        assertThat(c.warnings()).extracting(ConfigWarning::line).containsExactlyInAnyOrder(5, 9, 11, 12, 15);
        assertThat(c.warnings()).extracting(ConfigWarning::message).allMatch(m -> m.startsWith("duplicate key"))
                .noneMatch(m -> m.contains("p1") || m.contains("p2"));
    }

    @Test
    void aTypeErrorInAnOverriddenValueIsStillAnError() throws Exception {
        // yaml.v2 decodes every occurrence and reports type errors even when a later one would override them
        ConfigException e = failure("configs:\n  r:\n    tls:\n      insecure_skip_verify: maybe\n"
                + "      insecure_skip_verify: true\n");
        assertThat(e.getMessage()).startsWith(e.file() + ":4:29: ");
    }

    @Test
    void mergeKeysAndAliasesWorkAsInK3s() throws Exception {
        RegistriesConfig c = load("""
                configs:
                  a.example.com: &shared
                    tls: {ca_file: /ca.pem}
                    auth: {username: u}
                  b.example.com:
                    <<: *shared
                    auth: {username: v}
                  c.example.com:
                    <<: [*shared]
                mirrors:
                  docker.io: {endpoint: &eps [https://m1, https://m2]}
                  quay.io: {endpoint: *eps}
                """);
        assertThat(c.configs().get("b.example.com").tls().caFile()).isEqualTo(Path.of("/ca.pem"));
        assertThat(c.configs().get("b.example.com").auth().username()).isEqualTo("v");
        assertThat(c.configs().get("c.example.com").auth().username()).isEqualTo("u");
        assertThat(c.mirrors().get("quay.io").endpoints()).containsExactly("https://m1", "https://m2");
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void manyAliasesAreFineButExponentialMergesAndSelfMergesAreErrorsWithPositions() throws Exception {
        StringBuilder many = new StringBuilder("configs:\n  base: &b {tls: {insecure_skip_verify: true}}\n");
        for (int i = 0; i < 200; i++) {
            many.append("  h").append(i).append(": *b\n");
        }
        assertThat(load(many.toString()).configs()).hasSize(201);

        StringBuilder laughs = new StringBuilder("x0: &x0 {a: 1}\n");
        for (int i = 1; i <= 30; i++) {
            laughs.append("x").append(i).append(": &x").append(i).append(" {<<: [*x").append(i - 1)
                    .append(", *x").append(i - 1).append("]}\n");
        }
        laughs.append("configs:\n  h:\n    <<: *x30\n");
        ConfigException e = failure(laughs.toString());
        assertThat(e.line()).isPositive();
        assertThat(e.getMessage()).contains("merge keys");

        ConfigException self = failure("configs: &c\n  <<: *c\n");
        assertThat(self.line()).isPositive();
    }

    @Test
    void theK3sBooleanSpellingsOfYamlV2AreAccepted() throws Exception {
        String[][] cases = {{"y", "true"}, {"Y", "true"}, {"yes", "true"}, {"YES", "true"}, {"on", "true"},
                {"On", "true"}, {"TRUE", "true"}, {"n", "false"}, {"N", "false"}, {"no", "false"}, {"off", "false"},
                {"OFF", "false"}, {"False", "false"}};
        for (String[] kase : cases) {
            RegistriesConfig c = load("configs:\n  r:\n    tls:\n      insecure_skip_verify: " + kase[0] + "\n");
            assertThat(c.configs().get("r").tls().insecureSkipVerify()).as(kase[0])
                    .isEqualTo(Boolean.parseBoolean(kase[1]));
        }
        for (String bad : List.of("'yes'", "\"y\"", "yEs", "1", "maybe")) {
            ConfigException e = failure("configs:\n  r:\n    tls:\n      insecure_skip_verify: " + bad + "\n");
            assertThat(e.getMessage()).as(bad).startsWith(e.file() + ":4:29: ")
                    .contains("must be true or false");
        }
    }

    @Test
    void onlyTheFirstDocumentIsReadAndALaterOneIsAWarning() throws Exception {
        RegistriesConfig c = load("mirrors:\n  docker.io:\n    endpoint: [https://m]\n---\nmirrors: {}\n");
        assertThat(c.mirrors().get("docker.io").endpoints()).containsExactly("https://m");
        assertThat(c.warnings()).singleElement().satisfies(w -> {
            assertThat(w.line()).isEqualTo(4);
            assertThat(w.message()).contains("second YAML document").contains("K3s reads only the first");
        });
        RegistriesConfig broken = load("mirrors: {}\n---\n: [\n");
        assertThat(broken.warnings()).singleElement().satisfies(w -> assertThat(w.line()).isPositive());
    }

    @Test
    void utf16AndUtf8WithAByteOrderMarkAreReadAsK3sReadsThem() throws Exception {
        String yaml = "configs:\n  r\u00e9gistry.example:\n    tls:\n      insecure_skip_verify: yes\n";
        for (java.nio.charset.Charset cs : List.of(java.nio.charset.StandardCharsets.UTF_16LE,
                java.nio.charset.StandardCharsets.UTF_16BE, java.nio.charset.StandardCharsets.UTF_8)) {
            byte[] bom = cs == java.nio.charset.StandardCharsets.UTF_16LE ? new byte[] {(byte) 0xFF, (byte) 0xFE}
                    : cs == java.nio.charset.StandardCharsets.UTF_16BE ? new byte[] {(byte) 0xFE, (byte) 0xFF}
                    : new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
            Path file = dir.resolve("bom.yaml");
            Files.write(file, concat(bom, yaml.getBytes(cs)));
            RegistriesConfig c = RegistriesConfig.load(file);
            assertThat(c.configs().get("r\u00e9gistry.example").tls().insecureSkipVerify()).as(cs.name()).isTrue();
        }
    }

    @Test
    void bytesK3sRejectsAreErrorsWithLineAndColumn() throws Exception {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, concat("mirrors:\n  docker.io:\n    endpoint: [caf".getBytes(), new byte[] {(byte) 0xE9},
                "]\n".getBytes()));
        assertThatThrownBy(() -> RegistriesConfig.load(file)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ":3:19: not valid UTF-8 text: byte 0xE9 at offset 40 (K3s rejects it too;"
                        + " save the file as UTF-8)");
        // UTF-16 without a byte order mark is UTF-8 with NUL bytes to yaml.v2: rejected, with a position
        Files.write(file, "mirrors: {}\n".getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
        ConfigException nul = (ConfigException) org.assertj.core.api.Assertions.catchThrowable(
                () -> RegistriesConfig.load(file));
        assertThat(nul.getMessage()).startsWith(file + ":1:2: invalid YAML: the control character U+0000");
        ConfigException ctl = failure("mirrors:\n  docker.io:\n    endpoint: [a\u0007b]\n");
        assertThat(ctl.getMessage()).startsWith(ctl.file() + ":3:17: invalid YAML: the control character U+0007");
    }

    @Test
    void limitsOfTheParserAreErrorsWithLineAndColumn() throws Exception {
        String deep = "x: " + "[".repeat(600) + "]".repeat(600) + "\n";
        ConfigException e = failure("mirrors: {}\n" + deep);
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isPositive();
        // nesting that K3s reads (under an unknown key) is accepted up to a generous depth
        RegistriesConfig ok = load("x: " + "[".repeat(100) + "]".repeat(100) + "\nmirrors: {}\n");
        assertThat(ok.warnings()).extracting(ConfigWarning::message).anyMatch(m -> m.contains("unknown key 'x'"));
    }

    @Test
    void aHugeFileIsRefusedNotReadIntoMemory() throws Exception {
        Path file = dir.resolve("huge.yaml");
        try (var out = Files.newOutputStream(file)) {
            byte[] line = "# padding padding padding padding padding padding padding padding padding\n".getBytes();
            for (long n = 0; n <= ConfigText.MAX_BYTES / line.length + 1; n++) {
                out.write(line);
            }
        }
        ConfigException e = (ConfigException) org.assertj.core.api.Assertions.catchThrowable(
                () -> RegistriesConfig.load(file));
        assertThat(e.getMessage()).contains("file too large");
        assertThat(e.line()).isPositive();
    }

    private static byte[] concat(byte[]... parts) {
        var out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
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

    /** {@code jpull daemon} runs a pull for a process in another directory: its relative names are that one's. */
    @Test
    void relativeTlsPathsResolveAgainstTheCallersWorkingDirectoryWhenGiven() throws Exception {
        Path file = write("configs:\n  r:\n    tls:\n      ca_file: certs/ca.pem\n"
                + "      cert_file: /abs/c.pem\n      key_file: ./k.pem\n  plain: {}\n");
        RegistriesConfig c = RegistriesConfig.load(file, Path.of("/home/u/work"));
        TlsConfig tls = c.configs().get("r").tls();
        assertThat(tls.caFile()).isEqualTo(Path.of("/home/u/work/certs/ca.pem"));
        assertThat(tls.certFile()).isEqualTo(Path.of("/abs/c.pem"));
        assertThat(tls.keyFile()).isEqualTo(Path.of("/home/u/work/./k.pem"));
        assertThat(tls.caFileSetting()).isEqualTo(RegistriesConfig.load(file).configs().get("r").tls().caFileSetting());
        assertThat(c.configs().get("plain")).isEqualTo(RegistryConfig.EMPTY);
        assertThat(RegistriesConfig.load(file, null)).isEqualTo(RegistriesConfig.load(file));
    }

    @Test
    void unknownKeysAreWarningsWithPositions() throws Exception {
        RegistriesConfig c = load("mirrors:\n  docker.io:\n    endpoints:\n      - https://m\n"
                + "configs:\n  m:\n    auth:\n      token: abc\n    tls:\n      ca: x\n    proxy: y\n"
                + "registries: {}\n");
        Path f = c.source();
        assertThat(c.mirrors().get("docker.io").endpoints()).isEmpty();
        assertThat(c.warnings()).extracting(ConfigWarning::toString).containsExactly(
                f + ":3:5: warning: unknown key 'endpoints' in mirrors.\"docker.io\" (K3s ignores it);"
                        + " did you mean 'endpoint'?",
                f + ":8:7: warning: unknown key 'token' in configs.\"m\".auth (K3s ignores it); K3s has no token"
                        + " field; identity_token is an OAuth2 refresh (identity) token, not a bearer token",
                f + ":10:7: warning: unknown key 'ca' in configs.\"m\".tls (K3s ignores it); did you mean 'ca_file'?",
                f + ":11:5: warning: unknown key 'proxy' in configs.\"m\" (K3s ignores it)",
                f + ":12:1: warning: unknown key 'registries' at the top level (K3s ignores it)");
        assertThat(c.warnings().get(4).line()).isEqualTo(12);
        assertThat(c.warnings().get(4).column()).isEqualTo(1);
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
