package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpull.Target;
import dev.jpull.Jpull;
import dev.jpull.PullFailedException;
import dev.jpull.RegistriesConfig;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.MediaTypes;
import dev.jpull.testdata.HostileRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile registry (and a tampered store, a hostile config file) cannot forge output lines or send terminal
 * escapes through any channel: stderr messages and the failover trace, stdout text and JSON, the {@code --debug}
 * HTTP trace, exception messages, {@code images}, {@code diagnose} and {@code resolve}. Every control character of
 * their text arrives escaped ({@code \x1b}), never raw.
 */
public class HostileTextTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A forged summary and digest line, a screen clear, a bell, C1 CSI, a bidi override. */
    static final String FORGERY = "gone\r\njpull: pulled evil.example/library/evil:latest: 1 blob from http://x/v2; "
            + "1.0 MB in 0.1 s\nDigest: sha256:" + "0".repeat(64) + "\u001b[2J\u0007\u009b31m\u202eok\u2028x";
    /** Sent as Latin-1: 0x9b and 0xad are invalid UTF-8 there, which the client turns into U+FFFD. */
    static final String REASON = "Not Found \u001b]0;owned\u0007\u009b2J";
    static final String HEADER = "\u001b[2J\u0007\u00ad";
    static final String REF = "evil.example/library/evil:latest";

    @TempDir
    Path tmp;

    static byte[] errorBody() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode e = root.putArray("errors").addObject();
        e.put("code", "MANIFEST_UNKNOWN\u001b[31m");
        e.put("message", FORGERY);
        return JSON.writeValueAsBytes(root);
    }

    /** Answers the manifest of library/evil with a 404 whose reason, headers and error body are hostile. */
    static HostileRegistry failing() throws IOException {
        return new HostileRegistry().route("/v2/library/evil/manifests/latest", HostileRegistry.Reply.of(404, REASON,
                errorBody(), "Content-Type", "application/json", "X-Evil", HEADER));
    }

    /** A valid single-platform image, with a hostile header on every answer. */
    static HostileRegistry serving() throws IOException {
        byte[] layer = "layer bytes of the evil image".getBytes(StandardCharsets.UTF_8);
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{"
                + "\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + Digests.sha256(config)
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + Digests.sha256(layer)
                + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        return new HostileRegistry()
                .route("/v2/library/evil/manifests/latest", HostileRegistry.Reply.of(200, "OK \u001b[2J", manifest,
                        "Content-Type", MediaTypes.OCI_MANIFEST, "Docker-Content-Digest", Digests.sha256(manifest),
                        "X-Evil", HEADER))
                .route("/v2/library/evil/blobs/" + Digests.sha256(config),
                        HostileRegistry.Reply.of(200, "OK", config, "X-Evil", HEADER))
                .route("/v2/library/evil/blobs/" + Digests.sha256(layer),
                        HostileRegistry.Reply.of(200, "OK", layer, "X-Evil", HEADER));
    }

    Path mirrors(HostileRegistry... endpoints) throws IOException {
        StringBuilder yaml = new StringBuilder("mirrors:\n  evil.example:\n    endpoint:\n");
        for (HostileRegistry r : endpoints) {
            yaml.append("      - \"http://").append(r.hostPort()).append("\"\n");
        }
        Path file = tmp.resolve("registries.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    CliRun jpull(String... args) {
        return CliRun.run(tmp, args);
    }

    /**
     * No C0 control but the line feed, no DEL, no C1 control, no bidi control, no line or paragraph separator;
     * with {@code leadingTabs}, tabs at the start of a line (a {@code --debug} stack trace) are jpull's own.
     */
    public static void assertPrintable(String text, boolean leadingTabs) {
        boolean lineStart = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\t' && leadingTabs && lineStart) {
                continue;
            }
            lineStart = c == '\n';
            boolean control = (c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029
                    || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f
                    || c == 0x061c || c == 0xad || Character.isSurrogate(c) && !isPair(text, i);
            assertThat(control).as("U+%04X at %d in:%n%s", (int) c, i, text).isFalse();
        }
    }

    private static boolean isPair(String s, int i) {
        return Character.isHighSurrogate(s.charAt(i)) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    public static void assertPrintable(String text) {
        assertPrintable(text, false);
    }

    /** Every string value and field name of {@code node}, decoded (what {@code jq -r} prints), is printable. */
    public static void assertPrintableJson(JsonNode node) {
        if (node.isTextual()) {
            assertPrintable(node.asText());
        }
        node.fieldNames().forEachRemaining(HostileTextTest::assertPrintable);
        node.elements().forEachRemaining(HostileTextTest::assertPrintableJson);
    }

    /** No line of {@code text} is a forged summary or digest line. */
    public static void assertNoForgedLine(String text) {
        assertThat(text.lines().filter(l -> l.startsWith("jpull: pulled") || l.startsWith("Digest: sha256:000")))
                .isEmpty();
    }

    @Test
    void registryErrorTextReachesStderrEscaped() throws IOException {
        try (HostileRegistry evil = failing()) {
            CliRun r = jpull("pull", "--config", mirrors(evil).toString(), "--disable-default-endpoint", REF);

            assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertPrintable(r.err());
            assertNoForgedLine(r.err());
            // shown, not dropped: the operator sees what the registry sent
            assertThat(r.err()).contains("MANIFEST_UNKNOWN\\x1b[31m").contains("gone\\x0d\\x0ajpull: pulled")
                    .contains("\\x1b[2J\\x07\\x9b31m\\u{202e}ok\\u{2028}x");
        }
    }

    @Test
    void httpTraceShowsHostileStatusAndHeadersEscaped() throws IOException {
        try (HostileRegistry evil = failing(); HostileRegistry good = serving()) {
            CliRun r = jpull("pull", "--debug", "--config", mirrors(evil, good).toString(),
                    "--disable-default-endpoint", REF);

            assertThat(r.exitCode()).as(r.err()).isZero();
            assertPrintable(r.err(), true);
            assertPrintable(r.out());
            assertThat(r.err()).contains("< 404 Not Found \\x1b]0;owned\\x07").contains("< X-Evil: \\x1b[2J\\x07\ufffd")
                    .contains("< 200 OK \\x1b[2J");
            assertThat(r.err().lines().filter(l -> l.startsWith("jpull: pulled"))).hasSize(1);
        }
    }

    @Test
    void failoverTraceAndJsonResultCarryNoControlCharacter() throws IOException {
        try (HostileRegistry evil = failing(); HostileRegistry good = serving()) {
            Path yaml = mirrors(evil, good);
            CliRun json = jpull("pull", "-o", "json", "--config", yaml.toString(), "--disable-default-endpoint", REF);

            assertThat(json.exitCode()).as(json.err()).isZero();
            assertPrintable(json.out());
            assertPrintable(json.err());
            JsonNode result = JSON.readTree(json.out());
            assertPrintableJson(result);
            assertThat(result.path("attempts").get(0).path("error").asText()).contains("\\x1b[2J");
            assertThat(json.err().lines().filter(l -> l.startsWith("jpull: pulled"))).hasSize(1);

            CliRun text = jpull("pull", "--config", yaml.toString(), "--disable-default-endpoint", REF);
            assertThat(text.exitCode()).as(text.err()).isZero();
            assertPrintable(text.out());
            assertPrintable(text.err());
            assertThat(text.out().lines()).hasSize(2).allMatch(l -> l.startsWith("Digest: sha256:")
                    || l.startsWith("Image is up to date for sha256:")).noneMatch(l -> l.contains("sha256:000"));
        }
    }

    @Test
    void mediaTypeAndRedirectLocationAreEscaped() throws IOException {
        try (HostileRegistry mediaType = new HostileRegistry(); HostileRegistry redirect = new HostileRegistry()) {
            mediaType.route("/v2/library/evil/manifests/latest", HostileRegistry.Reply.of(200, "OK",
                    "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8),
                    "Content-Type", "application/vnd.evil\u001b[2J\u0007+json"));
            redirect.route("/v2/library/evil/manifests/latest", HostileRegistry.Reply.of(307, "Moved \u001b[2J",
                    new byte[0], "Location", "\u001b[2J\u0007 not a url"));
            CliRun r = jpull("pull", "-o", "json", "--config", mirrors(mediaType, redirect).toString(),
                    "--disable-default-endpoint", REF);

            assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
            assertPrintable(r.err());
            assertPrintable(r.out());
            assertNoForgedLine(r.err());
            assertThat(r.err()).contains(mediaType.hostPort()).contains(redirect.hostPort());
        }
    }

    @Test
    void indexPlatformFieldsInTheMessageAreEscaped() throws IOException {
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{"
                + "\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"sha256:" + "a".repeat(64)
                + "\",\"size\":100,\"platform\":{\"os\":\"linux\\u001b[2J\",\"architecture\":"
                + "\"arm\\r\\njpull: pulled evil\\u0007\"}}]}";
        byte[] body = index.getBytes(StandardCharsets.UTF_8);
        try (HostileRegistry evil = new HostileRegistry().route("/v2/library/evil/manifests/latest",
                HostileRegistry.Reply.of(200, "OK", body, "Content-Type", MediaTypes.OCI_INDEX,
                        "Docker-Content-Digest", Digests.sha256(body)))) {
            Path yaml = mirrors(evil);
            CliRun r = jpull("pull", "--config", yaml.toString(), "--disable-default-endpoint",
                    "--platform", "linux/amd64", REF);

            assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
            assertPrintable(r.err());
            assertNoForgedLine(r.err());
            // the message is one line: the index's line break is a space there, its controls are escaped
            assertThat(r.err()).contains("linux\\x1b[2J/arm").contains("jpull: pulled evil\\x07");

            // the library's public exception: its message is safe for any caller to print
            Jpull client = Jpull.builder().config(RegistriesConfig.load(yaml)).store(tmp.resolve("store"))
                    .platform("linux/amd64").disableDefaultEndpoint(true).build();
            PullFailedException e = catchThrowableOfType(() -> client.pull(REF), PullFailedException.class);
            assertPrintable(e.getMessage());
            assertThat(e.getMessage()).doesNotContain("\n");
        }
    }

    @Test
    void libraryExceptionAndAttemptsOfAFailedPullAreEscaped() throws IOException {
        try (HostileRegistry evil = failing()) {
            Jpull client = Jpull.builder().config(RegistriesConfig.load(mirrors(evil))).store(tmp.resolve("store"))
                    .disableDefaultEndpoint(true).build();
            PullFailedException e = catchThrowableOfType(() -> client.pull(REF), PullFailedException.class);

            assertPrintable(e.getMessage());
            assertThat(e.getMessage()).doesNotContain("\n").contains("\\x1b[2J");
            assertThat(e.attempts()).isNotEmpty().allSatisfy(a -> {
                assertPrintable(a.error());
                assertPrintable(a.target().label());
            });
        }
    }

    @Test
    void diagnoseEscapesChallengeParametersHeadersAndErrorBodies() throws IOException {
        try (HostileRegistry auth = new HostileRegistry(); HostileRegistry evil = failing()) {
            String challenge = "Bearer realm=\"http://" + auth.hostPort() + "/token\",service=\"evil\u001b[2J\u0007\","
                    + "scope=\"x\u009b2J\"";
            auth.route("/v2/", HostileRegistry.Reply.of(401, REASON, errorBody(), "WWW-Authenticate", challenge,
                            "Content-Type", "application/json"))
                    .route("/v2/library/evil/manifests/latest", HostileRegistry.Reply.of(401, REASON, errorBody(),
                            "WWW-Authenticate", challenge, "Content-Type", "application/json"))
                    .route("/token", HostileRegistry.Reply.of(401, REASON, errorBody(),
                            "Content-Type", "application/json"));
            evil.route("/v2/", HostileRegistry.Reply.of(200, REASON, "{}".getBytes(StandardCharsets.UTF_8),
                    "Docker-Distribution-API-Version", "registry/2.0\u001b[2J"));
            Path yaml = mirrors(auth, evil);

            CliRun text = jpull("diagnose", "--config", yaml.toString(), "--disable-default-endpoint", REF);
            assertThat(text.exitCode()).as(text.err()).isEqualTo(1);
            assertPrintable(text.out());
            assertPrintable(text.err());
            assertNoForgedLine(text.out());

            CliRun json = jpull("diagnose", "-o", "json", "--config", yaml.toString(), "--disable-default-endpoint",
                    REF);
            assertThat(json.exitCode()).as(json.err()).isEqualTo(1);
            assertPrintable(json.out());
            JsonNode report = JSON.readTree(json.out());
            assertPrintableJson(report);
            assertThat(report.toString()).contains("evil\\\\x1b[2J");
        }
    }

    @Test
    void resolveEscapesTextFromTheConfigFile() throws IOException {
        Path yaml = tmp.resolve("registries.yaml");
        Files.writeString(yaml, "mirrors:\n  evil.example:\n    endpoint:\n      - \"http://127.0.0.1:5000\"\n"
                + "    rewrite:\n      \"^library/(.*)\": \"x\\e[2J\\a\\r\\njpull: pulled $1\"\n");
        for (String format : List.of("text", "json")) {
            CliRun r = jpull("resolve", "-o", format, "--config", yaml.toString(), REF);

            assertThat(r.exitCode()).as(r.err()).isZero();
            assertPrintable(r.out());
            assertPrintable(r.err());
            assertNoForgedLine(r.out());
            // The rewrite's result is no repository name, so it is skipped; the warning quoting it is escaped.
            assertThat(r.err()).contains("x\\x1b[2J\\x07\\x0d\\x0ajpull: pulled evil")
                    .contains("is not a valid repository name");
            String repository = format.equals("json")
                    ? JSON.readTree(r.out()).path("endpoints").get(0).path("repository").asText() : r.out();
            assertThat(repository).contains("library/evil");
        }
    }

    @Test
    void imagesEscapesConfigFieldsOfATamperedStore() throws IOException {
        Path store = tmp.resolve("store");
        byte[] config = "{\"architecture\":\"amd64\\u001b[2J\",\"os\":\"linux\\r\\njpull: pulled x\\u0007\"}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{"
                + "\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + Digests.sha256(config)
                + "\",\"size\":" + config.length + "},\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
        Files.createDirectories(store.resolve("blobs/sha256"));
        for (byte[] blob : List.of(config, manifest)) {
            Files.write(store.resolve("blobs/sha256").resolve(Digests.sha256(blob).substring(7)), blob);
        }
        Files.writeString(store.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(store.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + Digests.sha256(manifest) + "\",\"size\":"
                + manifest.length + ",\"annotations\":{\"org.opencontainers.image.ref.name\":"
                + "\"docker.io/library/evil:latest\"}}]}");

        CliRun table = jpull("images", "--store", store.toString());
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertPrintable(table.out());
        assertNoForgedLine(table.out());
        assertThat(table.out()).contains("linux\\x0d\\x0ajpull: pulled x\\x07/amd64\\x1b[2J");

        CliRun json = jpull("images", "-o", "json", "--store", store.toString());
        assertThat(json.exitCode()).as(json.err()).isZero();
        assertPrintable(json.out());
        assertPrintableJson(JSON.readTree(json.out()));
    }

    @Test
    void configFileTextInWarningsIsEscaped() throws IOException {
        Path yaml = tmp.resolve("registries.yaml");
        Files.writeString(yaml, "mirrors:\n  evil.example:\n    \"\\e[2J\\r\\njpull: pulled x\\a\": 1\n");

        CliRun r = jpull("resolve", "--config", yaml.toString(), REF);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertPrintable(r.err());
        assertNoForgedLine(r.err());
        assertThat(r.err().lines()).hasSize(1).allMatch(l -> l.contains("'\\x1b[2J\\x0d\\x0ajpull: pulled x\\x07'"));
    }
}
