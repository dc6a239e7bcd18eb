package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpull.testdata.Image;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.RegistryFixture.Mode;
import dev.jpull.testdata.Skopeo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mirror drift in {@code jpull diagnose}, with three real registries behind one hosts directory: the registry
 * itself holds the current image under {@code library/app:1}, one mirror an older image under the same tag (a
 * stale accelerator), another the current image with one layer deleted. diagnose names the stale mirror and the
 * one missing a blob, in text and JSON; with one endpoint answering, the output has no drift part.
 */
class DiagnoseDriftIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void diagnoseNamesTheStaleMirrorAndTheOneMissingABlob() throws Exception {
        try (RegistryFixture registry = RegistryFixture.start(Mode.PLAIN);
             RegistryFixture stale = RegistryFixture.start(Mode.PLAIN);
             RegistryFixture missing = RegistryFixture.start(Mode.PLAIN)) {
            Image current = new ImageGenerator(31).singlePlatform(tmp.resolve("new"), "app", 2, 20_000);
            Image older = new ImageGenerator(32).singlePlatform(tmp.resolve("old"), "app", 2, 20_000);
            Skopeo.copyToRegistry(current.layoutDir(), "app", registry, "library/app:1");
            Skopeo.copyToRegistry(older.layoutDir(), "app", stale, "library/app:1");
            Skopeo.copyToRegistry(current.layoutDir(), "app", missing, "library/app:1");
            Skopeo.copyToRegistry(current.layoutDir(), "app", registry, "library/only:1");
            String lost = current.layerDigests().get(1);
            delete(missing, "library/app", lost);
            String digest = Skopeo.inspectDigest(registry, "library/app:1");
            String staleDigest = Skopeo.inspectDigest(stale, "library/app:1");
            assertThat(staleDigest).isNotEqualTo(digest);

            Path hosts = tmp.resolve("certs.d");
            Files.createDirectories(hosts.resolve(registry.hostPort()));
            Files.writeString(hosts.resolve(registry.hostPort()).resolve("hosts.toml"), String.join("\n",
                    "server = \"http://" + registry.hostPort() + "\"",
                    "[host.\"http://" + stale.hostPort() + "\"]",
                    "  capabilities = [\"pull\", \"resolve\"]",
                    "[host.\"http://" + missing.hostPort() + "\"]",
                    "  capabilities = [\"pull\", \"resolve\"]", ""));
            String ref = registry.hostPort() + "/library/app:1";
            String staleUrl = "http://" + stale.hostPort() + "/v2";
            String missingUrl = "http://" + missing.hostPort() + "/v2";
            String registryUrl = "http://" + registry.hostPort() + "/v2";

            CliRun json = CliRun.run(tmp, "diagnose", "--hosts-dir", hosts.toString(), "-o", "json", ref);
            assertThat(json.exitCode()).as(json.err()).isZero();
            JsonNode report = JSON.readTree(json.out());
            assertThat(report.path("driftReference").asText()).isEqualTo(registryUrl);
            assertThat(report.path("drifted").asBoolean()).isTrue();
            JsonNode endpoints = report.path("endpoints");
            assertThat(field(endpoints, "url")).containsExactly(staleUrl, missingUrl, registryUrl);
            assertThat(field(endpoints, "verdict")).containsExactly("ok", "ok", "ok");
            assertThat(endpoints.get(0).path("digest").asText()).isEqualTo(staleDigest);
            assertThat(endpoints.get(0).path("drift").asText()).isEqualTo("stale");
            assertThat(endpoints.get(1).path("digest").asText()).isEqualTo(digest);
            assertThat(endpoints.get(1).path("drift").asText()).isEqualTo("missing-blobs");
            assertThat(List.of(endpoints.get(1).path("missingBlobs").get(0).asText())).containsExactly(lost);
            assertThat(endpoints.get(2).path("digest").asText()).isEqualTo(digest);
            assertThat(endpoints.get(2).path("drift").asText()).isEqualTo("same");

            CliRun text = CliRun.run(tmp, "diagnose", "--hosts-dir", hosts.toString(), ref);
            assertThat(text.exitCode()).as(text.err()).isZero();
            assertThat(text.out()).contains("digests of 1 compared with the registry " + registryUrl + ":");
            List<String> lines = text.out().lines().toList();
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("1").contains(staleUrl, staleDigest,
                    " stale ", "the registry " + registryUrl + " serves " + digest));
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("2").contains(missingUrl, digest,
                    " missing-blobs ", lost));
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("3").contains(registryUrl, digest, " same "));
            assertThat(lines.get(lines.size() - 1)).isEqualTo("3 of 3 endpoints can serve " + ref);

            // only the registry has this one: no comparison, diagnose's output as before
            CliRun one = CliRun.run(tmp, "diagnose", "--hosts-dir", hosts.toString(), "-o", "json",
                    registry.hostPort() + "/library/only:1");
            assertThat(one.exitCode()).as(one.err()).isZero();
            JsonNode only = JSON.readTree(one.out());
            assertThat(only.has("driftReference")).isFalse();
            assertThat(only.path("endpoints").get(2).has("drift")).isFalse();
            CliRun oneText = CliRun.run(tmp, "diagnose", "--hosts-dir", hosts.toString(),
                    registry.hostPort() + "/library/only:1");
            assertThat(oneText.out()).doesNotContain("digests of");
        }
    }

    private static List<String> field(JsonNode array, String name) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.path(name).asText()));
        return out;
    }

    /** {@code DELETE /v2/REPO/blobs/DIGEST}: the repository no longer has the blob (the registry allows deletes). */
    private static void delete(RegistryFixture reg, String repo, String digest) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(reg.baseUrl() + "/v2/" + repo + "/blobs/" + digest)).timeout(Duration.ofSeconds(60))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }
}
