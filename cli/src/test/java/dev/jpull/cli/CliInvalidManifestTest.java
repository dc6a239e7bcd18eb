package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the user sees when a mirror serves a manifest that is JSON but not a valid manifest: exit 1 and one line
 * naming the endpoint, the field and what is wrong with it, never Jackson's words.
 */
class CliInvalidManifestTest {
    private static final String D = "sha256:" + "a".repeat(64);

    @TempDir
    Path tmp;

    private HttpServer server;
    private volatile byte[] manifest;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestURI().getPath().contains("/manifests/") ? manifest : "{}".getBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.oci.image.manifest.v1+json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private CliRun pull(String json) throws IOException {
        manifest = json.getBytes(StandardCharsets.UTF_8);
        String host = "127.0.0.1:" + server.getAddress().getPort();
        Path yaml = tmp.resolve("registries.yaml");
        Files.writeString(yaml, "mirrors:\n  \"registry.invalid\":\n    endpoint:\n      - \"http://" + host + "\"\n");
        return CliRun.run(tmp, "pull", "-c", yaml.toString(), "--disable-default-endpoint",
                "registry.invalid/app:1");
    }

    @Test
    void wrongTypesAndDuplicateKeysAreNamedInTheManifestsTerms() throws IOException {
        String descriptor = "{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + D
                + "\",\"size\":\"12\"}";
        CliRun wrongType = pull("{\"schemaVersion\":2,\"config\":" + descriptor + ",\"layers\":[]}");
        String endpoint = "http://127.0.0.1:" + server.getAddress().getPort() + "/v2";

        assertThat(wrongType.exitCode()).isEqualTo(1);
        String last = wrongType.errLines()[wrongType.errLines().length - 1];
        assertThat(last).contains(endpoint + " -> protocol-error")
                .contains("invalid image manifest: config.size: expected an integer (int64), got a string \"12\"");
        assertThat(wrongType.err()).doesNotContain("dev.jpull").doesNotContain("creator property")
                .doesNotContain("\tat ");

        CliRun duplicate = pull("{\"schemaVersion\":2,\"config\":{},\"config\":" + descriptor.replace("\"12\"", "12")
                + ",\"layers\":[]}");
        assertThat(duplicate.exitCode()).isEqualTo(1);
        assertThat(duplicate.err()).contains(endpoint + " -> protocol-error")
                .contains("manifest has a duplicate key \"config\"")
                .doesNotContain("No fallback setter").doesNotContain("dev.jpull.internal.oci");
    }
}
