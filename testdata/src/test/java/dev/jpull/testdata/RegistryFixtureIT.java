package dev.jpull.testdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpull.testdata.RegistryFixture.Mode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RegistryFixtureIT {

    private static final String ACCEPT = String.join(", ", ImageGenerator.MANIFEST_TYPE, ImageGenerator.INDEX_TYPE,
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json");

    @TempDir
    static Path layout;
    static MultiPlatformImage multi;
    static Image single;

    @BeforeAll
    static void generateImages() {
        ImageGenerator gen = new ImageGenerator(7);
        multi = gen.multiPlatform(layout, "multi");
        single = gen.singlePlatform(layout, "single", 3, 4096);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void skopeoPushesAndInspectsGeneratedImagesInEveryMode(Mode mode) {
        try (RegistryFixture reg = RegistryFixture.start(mode)) {
            Skopeo.copyToRegistry(layout, "multi", reg, "test/multi:v1");
            Skopeo.copyToRegistry(layout, "single", reg, "test/single:v1");

            assertThat(Skopeo.inspectDigest(reg, "test/multi:v1")).isEqualTo(multi.indexDigest());
            assertThat(Skopeo.inspectDigest(reg, "test/single:v1")).isEqualTo(single.manifestDigest());
            String raw = Skopeo.inspectRaw(reg, "test/multi:v1");
            assertThat(ImageGenerator.digestOf(raw.getBytes(StandardCharsets.UTF_8))).isEqualTo(multi.indexDigest());
        }
    }

    @Test
    void closeStopsTheRegistryAndDeletesItsFiles() throws IOException {
        RegistryFixture reg = RegistryFixture.start(Mode.PLAIN);
        assertThat(Files.readString(reg.configFile())).contains("addr: " + reg.hostPort());
        reg.close();
        assertThat(reg.configFile()).doesNotExist();
        assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.1", reg.port()), 2000))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void accessorsDescribeTheMode() {
        try (RegistryFixture plain = RegistryFixture.startEmpty(); RegistryFixture mtls = RegistryFixture.start(Mode.MTLS_BASIC)) {
            assertThat(plain.baseUrl()).isEqualTo("http://" + plain.hostPort()).startsWith("http://127.0.0.1:");
            assertThat(plain.username()).isNull();
            assertThat(plain.password()).isNull();
            assertThat(plain.tokenServer()).isNull();
            assertThat(mtls.baseUrl()).isEqualTo("https://127.0.0.1:" + mtls.port());
            assertThat(mtls.username()).isEqualTo("admin");
            assertThat(mtls.password()).isEqualTo("Harbor12345");
        }
    }

    @Test
    void basicAuthRegistryChallengesAndRejectsWrongPassword() throws Exception {
        try (RegistryFixture reg = RegistryFixture.start(Mode.BASIC_AUTH)) {
            HttpClient http = http(null);
            HttpResponse<String> anon = http.send(get(reg.baseUrl() + "/v2/").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anon.statusCode()).isEqualTo(401);
            assertThat(anon.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
            assertThat(http.send(get(reg.baseUrl() + "/v2/").header("Authorization", basic("admin", "wrong")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
            assertThat(http.send(get(reg.baseUrl() + "/v2/").header("Authorization", basic("admin", "Harbor12345")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void tokenRegistryAcceptsTokensFromTheTokenServer() throws Exception {
        try (RegistryFixture reg = RegistryFixture.start(Mode.TOKEN)) {
            Skopeo.copyToRegistry(layout, "single", reg, "test/single:v1");
            HttpClient http = http(null);
            TokenServer ts = reg.tokenServer();

            HttpResponse<String> anon = http.send(get(reg.baseUrl() + "/v2/").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anon.statusCode()).isEqualTo(401);
            assertThat(anon.headers().firstValue("WWW-Authenticate").orElseThrow())
                    .startsWith("Bearer ")
                    .contains("realm=\"" + ts.realm() + "\"")
                    .contains("service=\"" + TokenServer.SERVICE + "\"");

            String tokenJson = http.send(get(ts.realm() + "?service=" + TokenServer.SERVICE
                            + "&scope=repository:test/single:pull").header("Authorization", basic("admin", "Harbor12345")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            String token = new com.fasterxml.jackson.databind.ObjectMapper().readTree(tokenJson).get("token").asText();

            String manifestUrl = reg.baseUrl() + "/v2/test/single/manifests/v1";
            HttpResponse<String> ok = http.send(get(manifestUrl).header("Accept", ACCEPT)
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("Docker-Content-Digest")).hasValue(single.manifestDigest());

            String anonToken = ts.token("", "test/single");
            assertThat(http.send(get(manifestUrl).header("Accept", ACCEPT).header("Authorization", "Bearer " + anonToken).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
            assertThat(http.send(get(reg.baseUrl() + "/v2/test/other/manifests/v1").header("Accept", ACCEPT)
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                    .isEqualTo(401);
        }
    }

    @Test
    void mtlsRegistryRequiresAClientCertificate() throws Exception {
        try (RegistryFixture reg = RegistryFixture.start(Mode.MTLS_BASIC)) {
            HttpRequest req = get(reg.baseUrl() + "/v2/").header("Authorization", basic("admin", "Harbor12345")).build();
            assertThatThrownBy(() -> http(reg.certs().sslContext(false)).send(req, HttpResponse.BodyHandlers.discarding()))
                    .isInstanceOf(IOException.class);
            assertThat(http(reg.certs().sslContext(true)).send(req, HttpResponse.BodyHandlers.discarding()).statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void tlsRegistryIsNotTrustedWithTheWrongCa() throws Exception {
        try (RegistryFixture reg = RegistryFixture.start(Mode.TLS)) {
            HttpRequest req = get(reg.baseUrl() + "/v2/").build();
            javax.net.ssl.SSLContext wrong = Pem.sslContext(reg.certs().wrongCaCert(), null, null);
            assertThatThrownBy(() -> http(wrong).send(req, HttpResponse.BodyHandlers.discarding()))
                    .isInstanceOf(IOException.class);
            assertThat(http(reg.certs().sslContext(false)).send(req, HttpResponse.BodyHandlers.discarding()).statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void closedPortRefusesConnections() {
        ClosedPort closed = ClosedPort.allocate();
        assertThat(closed.baseUrl()).isEqualTo("http://127.0.0.1:" + closed.port());
        assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.1", closed.port()), 2000))
                .isInstanceOf(ConnectException.class);
    }

    static HttpClient http(javax.net.ssl.SSLContext ssl) {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
        if (ssl != null) {
            b.sslContext(ssl);
        }
        return b.build();
    }

    static HttpRequest.Builder get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
