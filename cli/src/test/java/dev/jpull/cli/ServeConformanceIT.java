package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpull.testdata.Image;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.Skopeo;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * jpull serve as an OCI distribution endpoint, checked with skopeo as the client ({@code inspect} and {@code copy}
 * from {@code docker://127.0.0.1:PORT/...}, no {@code ns}: {@code --default-registry} names the registry) and with
 * raw HTTP: {@code /v2/}, HEAD and GET of manifests and blobs with the spec's headers, {@code Range}, the error
 * bodies of unknown manifests and blobs, 405 {@code UNSUPPORTED} for writes, {@code /healthz} and {@code /metrics}.
 */
class ServeConformanceIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static Path tmp;
    private static RegistryFixture registry;
    private static Image image;
    private static String digest;
    private static JpullServe serve;

    @BeforeAll
    static void start() throws Exception {
        tmp = Files.createTempDirectory("jpull-serve-conf");
        registry = RegistryFixture.start(RegistryFixture.Mode.PLAIN);
        image = new ImageGenerator(77).runnable(tmp.resolve("layout"), "img", 1, 300_000);
        Skopeo.copyToRegistry(image.layoutDir(), "img", registry, "conf/app:1");
        digest = Skopeo.inspectDigest(registry, "conf/app:1");
        Path hosts = HostsDir.write(tmp.resolve("hosts.d"), registry.hostPort(), List.of(registry.hostPort()),
                registry.hostPort());
        serve = JpullServe.start(tmp.resolve("serve"), "--hosts-dir", hosts.toString(), "--store",
                tmp.resolve("store").toString(), "--default-registry", registry.hostPort());
    }

    @AfterAll
    static void stop() {
        if (serve != null) {
            serve.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void skopeoInspectsAndCopiesThroughJpullServeWithTheRegistrysDigest() throws Exception {
        String ref = "docker://" + serve.hostPort() + "/conf/app:1";
        assertThat(skopeo("inspect", "--tls-verify=false", "--no-creds", "--format", "{{.Digest}}", ref).strip())
                .isEqualTo(digest);
        Path layout = tmp.resolve("copied");
        skopeo("copy", "--quiet", "--preserve-digests", "--src-tls-verify=false", "--src-no-creds", ref,
                "oci:" + layout + ":app");
        byte[] manifest = Skopeo.inspectLayoutRaw(layout, "app").getBytes(StandardCharsets.UTF_8);
        assertThat(ImageGenerator.digestOf(manifest)).isEqualTo(digest);
        for (String blob : blobs()) {
            assertThat(Files.readAllBytes(ImageGenerator.blobPath(layout, blob)))
                    .isEqualTo(Files.readAllBytes(image.blobPath(blob)));
        }
    }

    @Test
    void apiRootAnswers200() throws Exception {
        HttpResponse<byte[]> r = send("GET", "/v2/");
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void headOfAManifestHasTheSpecsHeadersAndNoBody() throws Exception {
        Raw head = Raw.exchange(serve, "HEAD /v2/conf/app/manifests/1 HTTP/1.1", "Accept: "
                + ImageGenerator.MANIFEST_TYPE + ", " + ImageGenerator.INDEX_TYPE);
        assertThat(head.status()).as(head.text()).isEqualTo(200);
        assertThat(head.header("Docker-Content-Digest")).isEqualTo(digest);
        assertThat(head.header("Content-Type")).isEqualTo(ImageGenerator.MANIFEST_TYPE);
        assertThat(head.header("Content-Length")).isEqualTo(Long.toString(image.manifestSize()));
        assertThat(head.body()).as("HEAD has no body").isEmpty();
    }

    @Test
    void getOfAManifestByTagAndByDigestReturnsItsBytes() throws Exception {
        for (String reference : List.of("1", digest)) {
            HttpResponse<byte[]> r = send("GET", "/v2/conf/app/manifests/" + reference);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(ImageGenerator.digestOf(r.body())).isEqualTo(digest);
            assertThat(r.headers().firstValue("Docker-Content-Digest")).hasValue(digest);
            assertThat(r.headers().firstValue("Content-Type")).hasValue(ImageGenerator.MANIFEST_TYPE);
        }
        HttpResponse<byte[]> withNs = send("GET", "/v2/conf/app/manifests/1?ns=" + registry.hostPort());
        assertThat(withNs.statusCode()).isEqualTo(200);
        assertThat(ImageGenerator.digestOf(withNs.body())).isEqualTo(digest);
    }

    @Test
    void blobsAnswerHeadGetAndRangeBeforeAndAfterTheyAreStored() throws Exception {
        String layer = image.layerDigests().get(image.layerDigests().size() - 1);
        byte[] bytes = Files.readAllBytes(image.blobPath(layer));
        String path = "/v2/conf/app/blobs/" + layer;
        // first from upstream (nothing stored yet), then from the store
        for (int round = 0; round < 2; round++) {
            HttpResponse<byte[]> range = send("GET", path, "Range", "bytes=100-1099");
            assertThat(range.statusCode()).as("round " + round).isEqualTo(206);
            assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 100-1099/" + bytes.length);
            assertThat(range.headers().firstValue("Content-Length")).hasValue("1000");
            assertThat(range.body()).isEqualTo(Arrays.copyOfRange(bytes, 100, 1100));

            HttpResponse<byte[]> open = send("GET", path, "Range", "bytes=" + (bytes.length - 10) + "-");
            assertThat(open.statusCode()).isEqualTo(206);
            assertThat(open.body()).isEqualTo(Arrays.copyOfRange(bytes, bytes.length - 10, bytes.length));

            HttpResponse<byte[]> whole = send("GET", path);
            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(whole.headers().firstValue("Docker-Content-Digest")).hasValue(layer);
            assertThat(whole.headers().firstValue("Content-Length")).hasValue(Integer.toString(bytes.length));
            assertThat(whole.body()).isEqualTo(bytes);

            Raw head = Raw.exchange(serve, "HEAD " + path + " HTTP/1.1");
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(bytes.length));
            assertThat(head.header("Docker-Content-Digest")).isEqualTo(layer);
            assertThat(head.body()).isEmpty();
        }
    }

    @Test
    void unknownBlobsAndManifestsAre404WithTheSpecsErrorCodes() throws Exception {
        String missing = "sha256:" + "0".repeat(64);
        assertError(send("GET", "/v2/conf/app/blobs/" + missing), 404, "BLOB_UNKNOWN");
        assertError(send("GET", "/v2/conf/app/manifests/nosuchtag"), 404, "MANIFEST_UNKNOWN");
        assertError(send("GET", "/v2/conf/nosuchrepo/manifests/1"), 404, "MANIFEST_UNKNOWN");
        assertThat(send("HEAD", "/v2/conf/app/blobs/" + missing).statusCode()).isEqualTo(404);
        assertThat(send("HEAD", "/v2/conf/app/manifests/nosuchtag").statusCode()).isEqualTo(404);
    }

    @Test
    void writesAre405Unsupported() throws Exception {
        for (String method : List.of("PUT", "DELETE", "POST", "PATCH")) {
            assertError(send(method, "/v2/conf/app/manifests/1"), 405, "UNSUPPORTED");
            assertError(send(method, "/v2/conf/app/blobs/" + image.configDigest()), 405, "UNSUPPORTED");
        }
        assertError(send("POST", "/v2/conf/app/blobs/uploads/"), 405, "UNSUPPORTED");
    }

    @Test
    void healthzAndMetrics() throws Exception {
        HttpResponse<byte[]> health = send("GET", "/healthz");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(new String(health.body(), StandardCharsets.UTF_8).strip()).isEqualTo("ok");

        assertThat(send("GET", "/v2/").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> metrics = send("GET", "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("text/plain"));
        String text = new String(metrics.body(), StandardCharsets.UTF_8);
        // Prometheus text: a request counter with a status label, counted at least once (the GET /v2/ above)
        Matcher m = Pattern.compile("(?m)^(\\w*request\\w*)\\{[^}]*status=\"200\"[^}]*} ([0-9.eE+]+)$").matcher(text);
        assertThat(m.find()).as(text).isTrue();
        assertThat(Double.parseDouble(m.group(2))).isGreaterThanOrEqualTo(1);
        assertThat(text).contains("# TYPE " + m.group(1) + " counter");
    }

    private static void assertError(HttpResponse<byte[]> r, int status, String code) throws Exception {
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(r.statusCode()).as(r.request().method() + " " + r.uri() + ": " + body).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/json"));
        JsonNode errors = JSON.readTree(body).get("errors");
        assertThat(errors).as(body).isNotNull();
        assertThat(errors.get(0).get("code").asText()).as(body).isEqualTo(code);
        assertThat(errors.get(0).has("message")).as(body).isTrue();
    }

    private static HttpResponse<byte[]> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(serve.baseUrl() + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, method.equals("PUT") || method.equals("POST") || method.equals("PATCH")
                        ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
        if (path.contains("/manifests/")) {
            b.header("Accept", ImageGenerator.MANIFEST_TYPE + ", " + ImageGenerator.INDEX_TYPE);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static List<String> blobs() {
        List<String> all = new java.util.ArrayList<>(image.layerDigests());
        all.add(image.configDigest());
        return all;
    }

    private static String skopeo(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("skopeo"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("skopeo " + String.join(" ", args) + " timed out");
        }
        assertThat(p.exitValue()).as("skopeo " + String.join(" ", args) + ": " + out + "\njpull serve:\n"
                + serve.log()).isZero();
        return out;
    }

    /** One request on a raw socket with {@code Connection: close}: the status line, headers and every byte after. */
    record Raw(String text, byte[] body) {
        static Raw exchange(JpullServe serve, String requestLine, String... headers) throws Exception {
            try (Socket s = new Socket("127.0.0.1", serve.port())) {
                s.setSoTimeout(60_000);
                StringBuilder req = new StringBuilder(requestLine + "\r\nHost: " + serve.hostPort() + "\r\n");
                for (String h : headers) {
                    req.append(h).append("\r\n");
                }
                req.append("Connection: close\r\n\r\n");
                s.getOutputStream().write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                InputStream in = s.getInputStream();
                in.transferTo(all);
                byte[] bytes = all.toByteArray();
                String whole = new String(bytes, StandardCharsets.ISO_8859_1);
                int end = whole.indexOf("\r\n\r\n");
                assertThat(end).as(whole).isPositive();
                return new Raw(whole.substring(0, end), Arrays.copyOfRange(bytes, end + 4, bytes.length));
            }
        }

        int status() {
            return Integer.parseInt(text.split(" ", 3)[1]);
        }

        String header(String name) {
            for (String line : text.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }
}
