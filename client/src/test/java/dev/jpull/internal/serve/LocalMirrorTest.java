package dev.jpull.internal.serve;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.ChunkedDribbleDelay;
import dev.jpull.Jpull;
import dev.jpull.LocalMirror;
import dev.jpull.Mirror;
import dev.jpull.MirrorRequest;
import dev.jpull.RegistriesConfig;
import dev.jpull.internal.registry.TestImage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local mirror ({@code jpull serve}) over real HTTP on loopback, with WireMock registries upstream: what it
 * answers, that it fails over per request, that clients share one download, and that a blob it cannot verify
 * never reaches a client whole.
 */
class LocalMirrorTest {
    private final TestImage image = TestImage.create("library/app", 2, 300_000, 7);
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<MirrorRequest> log = new CopyOnWriteArrayList<>();
    private final okhttp3.OkHttpClient http = new okhttp3.OkHttpClient.Builder().retryOnConnectionFailure(false)
            .readTimeout(Duration.ofMinutes(2)).build();

    /** What the mirror answered. */
    record Answer(int statusCode, okhttp3.Headers headers, byte[] body) {
        String header(String name) {
            return headers.get(name);
        }
    }

    @TempDir
    Path store;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private WireMockServer wiremock() {
        WireMockServer s = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        s.start();
        closing.add(s::stop);
        return s;
    }

    private WireMockServer goodRegistry() {
        WireMockServer s = wiremock();
        image.serveAll(s, "1.0");
        return s;
    }

    /** A mirror for registry {@code 127.0.0.1:<registry>} whose configuration lists {@code mirrors} first. */
    private LocalMirror mirror(int registry, int listenPort, String... mirrors) {
        return mirror(Duration.ZERO, registry, listenPort, mirrors);
    }

    /** @param streamAfter {@link LocalMirror.Builder#streamAfter}: ZERO streams at once, null verifies first */
    private LocalMirror mirror(Duration streamAfter, int registry, int listenPort, String... mirrors) {
        var config = new RegistriesConfig(null, Map.of("127.0.0.1:" + registry, new Mirror(List.of(mirrors),
                Map.of())), Map.of(), List.of());
        Jpull jpull = Jpull.builder().config(config).store(store).dockerConfig(false).build();
        LocalMirror m = LocalMirror.builder(jpull).listen(new InetSocketAddress("127.0.0.1", listenPort))
                .streamAfter(streamAfter).accessLog(log::add).start();
        closing.add(m);
        return m;
    }

    private static String url(int port) {
        return "http://127.0.0.1:" + port;
    }

    private Answer send(LocalMirror m, String method, String path, int registry, String... headers)
            throws IOException {
        okhttp3.Request.Builder b = new okhttp3.Request.Builder().url(url(m.address().getPort()) + path
                + (path.contains("?") ? "&" : "?") + "ns=127.0.0.1%3A" + registry)
                .method(method, method.equals("PUT") ? okhttp3.RequestBody.create(new byte[0]) : null);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try (okhttp3.Response r = http.newCall(b.build()).execute()) {
            return new Answer(r.code(), r.headers(), r.body().bytes());
        }
    }

    private List<MirrorRequest> logged(java.util.function.Predicate<MirrorRequest> which, int count)
            throws InterruptedException {
        return AccessRecords.await(log, which, count);
    }

    private long blobGets(WireMockServer s, String digest) {
        return s.findAll(getRequestedFor(urlPathEqualTo(image.blobPath(digest)))).size();
    }

    @Test
    void answersManifestsAndBlobsAsARegistryDoesThenFromTheStore() throws Exception {
        WireMockServer registry = goodRegistry();
        LocalMirror m = mirror(registry.port(), 0);
        String layer = image.layerDigests().get(0);

        var base = send(m, "GET", "/v2/", registry.port());
        assertThat(base.statusCode()).isEqualTo(200);
        assertThat(base.header("Docker-Distribution-API-Version")).isEqualTo("registry/2.0");

        var head = send(m, "HEAD", image.manifestPath("1.0"), registry.port());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.header("Docker-Content-Digest")).isEqualTo(image.manifestDigest());
        assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(image.manifest().length));
        assertThat(head.header("Content-Type")).isEqualTo("application/vnd.oci.image.manifest.v1+json");

        var byDigest = send(m, "GET", image.manifestPath(image.manifestDigest()), registry.port());
        assertThat(byDigest.body()).isEqualTo(image.manifest());
        assertThat(registry.findAll(getRequestedFor(urlPathEqualTo(image.manifestPath(image.manifestDigest())))))
                .as("by digest from the store").isEmpty();

        var blob = send(m, "GET", image.blobPath(layer), registry.port());
        assertThat(blob.statusCode()).isEqualTo(200);
        assertThat(blob.body()).isEqualTo(image.layers().get(0));
        assertThat(blob.header("Docker-Content-Digest")).isEqualTo(layer);

        var range = send(m, "GET", image.blobPath(layer), registry.port(), "Range", "bytes=1000-1999");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.header("Content-Range")).isEqualTo("bytes 1000-1999/300000");
        assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(image.layers().get(0), 1000, 2000));

        var again = send(m, "GET", image.blobPath(layer), registry.port());
        assertThat(again.body()).isEqualTo(image.layers().get(0));
        assertThat(blobGets(registry, layer)).as("later requests come from the store").isEqualTo(1);
        assertThat(logged(r -> r.path().equals(image.blobPath(layer)), 3))
                .extracting(MirrorRequest::source).containsExactly(url(registry.port()) + "/v2", "store", "store");
        assertThat(Files.exists(store.resolve("blobs/sha256/" + layer.substring(7)))).isTrue();
    }

    @Test
    void streamingAtOnceACorruptFirstEndpointCostsTheClientOneCutTransferAndTheRetryGetsTheVerifiedBlob()
            throws Exception {
        String layer = image.layerDigests().get(1);
        byte[] wrong = image.layers().get(1).clone();
        wrong[10] ^= 1;
        GatedServer corrupt = new GatedServer(layer, wrong, 100_000);
        closing.add(corrupt);
        WireMockServer registry = goodRegistry();
        // no manifest first: the blob's size comes from a HEAD, which the corrupt endpoint answers (a 404 for the
        // manifest would put it last)
        LocalMirror m = mirror(registry.port(), 0, url(corrupt.port()));

        okhttp3.Request request = new okhttp3.Request.Builder().url(url(m.address().getPort())
                + image.blobPath(layer) + "?ns=127.0.0.1%3A" + registry.port()).build();
        try (okhttp3.Response r = http.newCall(request).execute()) {
            byte[] first = r.body().source().readByteArray(1_000);
            assertThat(first[10]).as("the wrong byte went out as it arrived").isEqualTo(wrong[10]);
            corrupt.release();
            // the end shows the blob is wrong: the client's transfer is cut, never completed
            assertThatThrownBy(() -> r.body().source().readByteArray()).isInstanceOf(IOException.class);
        }
        var retry = send(m, "GET", image.blobPath(layer), registry.port());

        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo(image.layers().get(1));
        assertThat(blobGets(registry, layer)).as("fetched once from the good endpoint").isLessThanOrEqualTo(2);
        assertThat(Files.exists(store.resolve("blobs/sha256/" + layer.substring(7)))).isTrue();
    }

    @Test
    void verifyingFirstACorruptFirstEndpointCostsTheClientNothing() throws Exception {
        WireMockServer corrupt = wiremock();
        image.serveAll(corrupt, "1.0");
        String layer = image.layerDigests().get(1);
        byte[] wrong = image.layers().get(1).clone();
        wrong[wrong.length / 2] ^= 1;
        corrupt.stubFor(get(urlPathEqualTo(image.blobPath(layer))).willReturn(aResponse().withBody(wrong)
                .withChunkedDribbleDelay(20, 2_000)));
        WireMockServer registry = goodRegistry();
        LocalMirror m = mirror(null, registry.port(), 0, url(corrupt.port()));
        send(m, "GET", image.manifestPath("1.0"), registry.port());

        var blob = send(m, "GET", image.blobPath(layer), registry.port());

        assertThat(blob.statusCode()).isEqualTo(200);
        assertThat(blob.body()).isEqualTo(image.layers().get(1));
        assertThat(logged(r -> r.path().equals(image.blobPath(layer)), 1)).singleElement()
                .satisfies(r -> assertThat(r.source()).isEqualTo(url(registry.port()) + "/v2"));
    }

    @Test
    void byDefaultAWrongBlobIsCaughtBeforeItsFirstByteLeaves() throws Exception {
        WireMockServer corrupt = wiremock();
        image.serveAll(corrupt, "1.0");
        String layer = image.layerDigests().get(0);
        byte[] wrong = image.layers().get(0).clone();
        wrong[3] ^= 1;
        corrupt.stubFor(get(urlPathEqualTo(image.blobPath(layer))).willReturn(aResponse().withBody(wrong)));
        WireMockServer registry = goodRegistry();
        LocalMirror m = mirror(Duration.ofSeconds(10), registry.port(), 0, url(corrupt.port()));
        send(m, "GET", image.manifestPath("1.0"), registry.port());

        var blob = send(m, "GET", image.blobPath(layer), registry.port());

        assertThat(blob.statusCode()).isEqualTo(200);
        assertThat(blob.body()).isEqualTo(image.layers().get(0));
    }

    @Test
    void aBodyCutUpstreamContinuesElsewhereAndTheClientsStreamSimplyGoesOn() throws Exception {
        WireMockServer cutting = wiremock();
        image.serveAll(cutting, "1.0");
        String layer = image.layerDigests().get(0);
        cutting.stubFor(get(urlPathEqualTo(image.blobPath(layer))).willReturn(aResponse()
                .withBody(image.layers().get(0)).withFault(com.github.tomakehurst.wiremock.http.Fault
                        .RANDOM_DATA_THEN_CLOSE)));
        WireMockServer registry = goodRegistry();
        LocalMirror m = mirror(registry.port(), 0, url(cutting.port()));
        send(m, "GET", image.manifestPath("1.0"), registry.port());

        var blob = send(m, "GET", image.blobPath(layer), registry.port());

        assertThat(blob.statusCode()).isEqualTo(200);
        assertThat(blob.body()).isEqualTo(image.layers().get(0));
        logged(r -> r.path().equals(image.blobPath(layer)), 1); // counted with its record, as its exchange ends
        String metrics = new String(send(m, "GET", "/metrics", registry.port()).body());
        assertThat(metrics).contains("jpull_serve_requests_total{method=\"GET\",kind=\"blob\",status=\"200\"} 1");
        assertThat(metrics).contains("jpull_serve_upstream_attempts_total{endpoint=\"" + url(registry.port())
                + "/v2\",outcome=\"ok\"}");
    }

    @Test
    void aBlobWrongOnEveryEndpointNeverReachesTheClientWhole() throws Exception {
        WireMockServer registry = goodRegistry();
        String layer = image.layerDigests().get(0);
        byte[] wrong = image.layers().get(0).clone();
        wrong[wrong.length - 1] ^= 1; // only the last byte differs
        registry.stubFor(get(urlPathEqualTo(image.blobPath(layer))).willReturn(aResponse().withBody(wrong)));
        LocalMirror m = mirror(registry.port(), 0);
        send(m, "GET", image.manifestPath("1.0"), registry.port());

        Throwable failure = null;
        Answer response = null;
        try {
            response = send(m, "GET", image.blobPath(layer), registry.port());
        } catch (IOException e) {
            failure = e;
        }
        if (response != null) {
            assertThat(response.statusCode()).as("refused before the body started, or cut").isEqualTo(404);
        } else {
            assertThat(failure).as("the connection was cut before the last byte").isInstanceOf(IOException.class);
        }
        assertThat(Files.exists(store.resolve("blobs/sha256/" + layer.substring(7)))).isFalse();
    }

    @Test
    void concurrentClientsOfOneBlobShareOneUpstreamDownload() throws Exception {
        WireMockServer registry = goodRegistry();
        String layer = image.layerDigests().get(0);
        registry.stubFor(get(urlPathEqualTo(image.blobPath(layer))).willReturn(aResponse()
                .withBody(image.layers().get(0)).withChunkedDribbleDelay(20, 1_500)));
        LocalMirror m = mirror(registry.port(), 0);
        send(m, "GET", image.manifestPath("1.0"), registry.port());

        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<Answer>> clients = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                clients.add(pool.submit(() -> send(m, "GET", image.blobPath(layer), registry.port())));
            }
            for (Future<Answer> c : clients) {
                assertThat(c.get().body()).isEqualTo(image.layers().get(0));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(blobGets(registry, layer)).isEqualTo(1);
    }

    @Test
    void isReadOnlyAndSaysWhatItDoesNotKnow() throws Exception {
        WireMockServer registry = goodRegistry();
        LocalMirror m = mirror(registry.port(), 0);

        var put = send(m, "PUT", image.manifestPath("1.0"), registry.port());
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.header("Allow")).isEqualTo("GET, HEAD");
        assertThat(new String(put.body())).contains("\"code\":\"UNSUPPORTED\"");

        var unknown = send(m, "GET", image.blobPath("sha256:" + "0".repeat(64)), registry.port());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(new String(unknown.body())).contains("\"code\":\"BLOB_UNKNOWN\"");

        var noManifest = send(m, "GET", image.manifestPath("9.9"), registry.port());
        assertThat(noManifest.statusCode()).isEqualTo(404);
        assertThat(new String(noManifest.body())).contains("\"code\":\"MANIFEST_UNKNOWN\"");

        var badName = send(m, "GET", "/v2/UPPER/manifests/1.0", registry.port());
        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(send(m, "GET", "/healthz", registry.port()).body()).isEqualTo("ok\n".getBytes());
    }

    @Test
    void neverAsksItselfEvenWhenTheConfigurationListsIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        WireMockServer registry = goodRegistry();
        LocalMirror m = mirror(registry.port(), port, "http://localhost:" + port, url(port));

        var manifest = send(m, "GET", image.manifestPath("1.0"), registry.port());

        assertThat(manifest.statusCode()).isEqualTo(200);
        assertThat(logged(r -> true, 1)).extracting(MirrorRequest::path).containsExactly(image.manifestPath("1.0"));
    }

    @Test
    void listsTagsOfEveryUpstreamPageAndPaginatesItself() throws Exception {
        WireMockServer registry = goodRegistry();
        String list = "/v2/" + image.repository() + "/tags/list";
        registry.stubFor(get(urlPathEqualTo(list)).withQueryParam("last", com.github.tomakehurst.wiremock.client
                .WireMock.absent()).willReturn(aResponse().withHeader("Link", "<" + list + "?n=2&last=b>; rel=\"next\"")
                .withBody("{\"name\":\"library/app\",\"tags\":[\"a\",\"b\"]}")));
        registry.stubFor(get(urlPathEqualTo(list)).withQueryParam("last", com.github.tomakehurst.wiremock.client
                .WireMock.equalTo("b")).willReturn(aResponse().withBody("{\"name\":\"library/app\",\"tags\":[\"c\"]}")));
        LocalMirror m = mirror(registry.port(), 0);

        assertThat(new String(send(m, "GET", list, registry.port()).body()))
                .isEqualTo("{\"name\":\"library/app\",\"tags\":[\"a\",\"b\",\"c\"]}");
        var page = send(m, "GET", list + "?n=1&last=a", registry.port());
        assertThat(new String(page.body())).isEqualTo("{\"name\":\"library/app\",\"tags\":[\"b\"]}");
        assertThat(page.header("Link")).isEqualTo("</v2/library/app/tags/list?n=1&last=b>; rel=\"next\"");
    }

    @Test
    void aClientThatStopsReadingIsCutAndHoldsNoThread() throws Exception {
        TestImage big = TestImage.create("library/big", 1, 32 * 1024 * 1024, 11);
        WireMockServer registry = wiremock();
        big.serveAll(registry, "1.0");
        var config = new RegistriesConfig(null, Map.of(), Map.of(), List.of());
        Jpull jpull = Jpull.builder().config(config).store(store).dockerConfig(false).build();
        LocalMirror m = LocalMirror.builder(jpull).listen(new InetSocketAddress("127.0.0.1", 0))
                .clientStall(Duration.ofSeconds(1)).accessLog(log::add).start();
        closing.add(m);
        String path = big.blobPath(big.layerDigests().get(0)) + "?ns=127.0.0.1%3A" + registry.port();
        send(m, "GET", big.manifestPath("1.0"), registry.port());

        try (java.net.Socket client = new java.net.Socket("127.0.0.1", m.address().getPort())) {
            client.setReceiveBufferSize(4096);
            client.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            // it reads nothing until the mirror has given up on it: then the rest of what it can read ends early
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (log.stream().noneMatch(r -> r.path().startsWith(big.blobPath("")) && r.aborted())
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(log).filteredOn(r -> r.path().startsWith(big.blobPath(""))).singleElement()
                    .satisfies(r -> assertThat(r.aborted()).isTrue());
            assertThat(log).filteredOn(r -> r.path().startsWith(big.blobPath(""))).singleElement()
                    .satisfies(r -> assertThat(r.bytes()).isLessThan(32L * 1024 * 1024));
        }
        // its thread is free again: the whole blob goes to a client that reads
        http.connectionPool().evictAll();
        assertThat(send(m, "GET", big.blobPath(big.layerDigests().get(0)), registry.port()).body())
                .isEqualTo(big.layers().get(0));
    }

    @Test
    void aNonLoopbackAddressNeedsToBeAllowed() {
        Jpull jpull = Jpull.builder().store(store).dockerConfig(false).build();
        assertThatThrownBy(() -> LocalMirror.builder(jpull).listen(new InetSocketAddress("0.0.0.0", 0)).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not loopback");
    }

    @Test
    void aMirrorThatNeverAnswersCostsOneHedgeNotOnePerBlob() throws Exception {
        WireMockServer silent = wiremock();
        silent.stubFor(any(anyUrl()).willReturn(aResponse().withFixedDelay(60_000)));
        WireMockServer registry = goodRegistry();
        LocalMirror m = mirror(registry.port(), 0, url(silent.port()));

        send(m, "GET", image.manifestPath("1.0"), registry.port());
        for (String layer : image.layerDigests()) {
            assertThat(send(m, "GET", image.blobPath(layer), registry.port()).body()).hasSize(300_000);
        }
        assertThat(silent.getAllServeEvents()).as("after the first hedge, the silent mirror is tried last")
                .hasSize(1);
    }
}
