package dev.jpull.testdata;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * FaultProxy in front of an in-process HTTP server, observed with a raw socket client (so every byte, the end of
 * stream, a reset and a stall are visible exactly).
 */
class FaultProxyTest {
    private static final int SIZE = 300_000;
    private static final byte[] BLOB = new byte[SIZE];

    static {
        new SplittableRandom(7).nextBytes(BLOB);
    }

    private HttpServer backend;
    private FaultProxy proxy;

    @BeforeEach
    void start() throws IOException {
        backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        backend.createContext("/blob", ex -> {
            ex.getResponseHeaders().add("Docker-Content-Digest", ImageGenerator.digestOf(BLOB));
            ex.sendResponseHeaders(200, BLOB.length);
            ex.getResponseBody().write(BLOB);
            ex.close();
        });
        backend.createContext("/chunked", ex -> {
            ex.sendResponseHeaders(200, 0); // chunked
            ex.getResponseBody().write(BLOB, 0, 1000);
            ex.getResponseBody().write(BLOB, 1000, 2000);
            ex.close();
        });
        backend.createContext("/redirect", ex -> {
            ex.getResponseHeaders().add("Location", "http://127.0.0.1:1/elsewhere");
            ex.sendResponseHeaders(307, -1);
            ex.close();
        });
        backend.createContext("/echo", ex -> {
            String text = ex.getRequestMethod() + " " + ex.getRequestURI() + " host=" + ex.getRequestHeaders()
                    .getFirst("Host") + " range=" + ex.getRequestHeaders().getFirst("Range") + " x="
                    + ex.getRequestHeaders().getFirst("X-Test") + " te=" + ex.getRequestHeaders().getFirst("TE")
                    + " body=" + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        backend.start();
        proxy = FaultProxy.start("127.0.0.1", backend.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        proxy.close();
        backend.stop(0);
    }

    @Test
    void noFaultPassesBytesThroughUnchangedAndDoesNotFollowRedirects() throws Exception {
        Raw blob = Raw.get(proxy, "/blob", "Range: bytes=0-");
        assertThat(blob.status()).isEqualTo(200);
        assertThat(blob.header("Content-Length")).isEqualTo(Integer.toString(SIZE));
        assertThat(blob.header("Docker-Content-Digest")).isEqualTo(ImageGenerator.digestOf(BLOB));
        assertThat(blob.header("Connection")).isEqualTo("close");
        assertThat(blob.body()).isEqualTo(BLOB);
        assertThat(blob.end()).isEqualTo(End.EOF);

        Raw chunked = Raw.get(proxy, "/chunked");
        assertThat(chunked.header("Transfer-Encoding")).isNull();
        assertThat(chunked.header("Content-Length")).isEqualTo("3000");
        assertThat(chunked.body()).isEqualTo(Arrays.copyOf(BLOB, 3000));

        Raw redirect = Raw.get(proxy, "/redirect");
        assertThat(redirect.status()).isEqualTo(307);
        assertThat(redirect.header("Location")).isEqualTo("http://127.0.0.1:1/elsewhere");

        HttpResponse<String> echo = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(proxy.baseUrl() + "/echo?q=1")).header("X-Test", "yes").header("Range", "bytes=5-")
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(echo.body()).isEqualTo("POST /echo?q=1 host=127.0.0.1:" + backend.getAddress().getPort()
                + " range=bytes=5- x=yes te=null body=hello");

        assertThat(proxy.requests()).containsExactly(
                new RecordedRequest("GET", "/blob", "bytes=0-", Fault.NONE),
                new RecordedRequest("GET", "/chunked", null, Fault.NONE),
                new RecordedRequest("GET", "/redirect", null, Fault.NONE),
                new RecordedRequest("POST", "/echo", "bytes=5-", Fault.NONE));
    }

    @Test
    void neverAnswerReadsTheRequestAndSendsNothingUntilTheClientGivesUp() throws Exception {
        proxy.fault(Fault.NEVER_ANSWER);
        Raw r = Raw.get(proxy, "/blob");
        assertThat(r.received()).isEmpty();
        assertThat(r.end()).isEqualTo(End.TIMEOUT);
        assertThat(proxy.requests()).containsExactly(new RecordedRequest("GET", "/blob", null, Fault.NEVER_ANSWER));

        proxy.fault(Fault.NONE); // settable at any time
        assertThat(Raw.get(proxy, "/blob").body()).isEqualTo(BLOB);
    }

    @Test
    void statusFaultsAnswerWithADistributionErrorBody() throws Exception {
        proxy.fault(Fault.SERVER_ERROR);
        Raw error = Raw.get(proxy, "/echo");
        assertThat(error.status()).isEqualTo(500);
        assertThat(error.header("Content-Type")).startsWith("application/json");
        assertThat(new String(error.body(), StandardCharsets.UTF_8)).contains("\"code\":\"UNKNOWN\"");
        assertThat(error.end()).isEqualTo(End.EOF);

        proxy.fault(Fault.TOO_MANY_REQUESTS);
        Raw throttled = Raw.get(proxy, "/echo");
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.header("Retry-After")).isNull();
        assertThat(new String(throttled.body(), StandardCharsets.UTF_8)).contains("\"code\":\"TOOMANYREQUESTS\"");
        assertThat(proxy.requests()).extracting(RecordedRequest::fault)
                .containsExactly(Fault.SERVER_ERROR, Fault.TOO_MANY_REQUESTS);
    }

    @Test
    void corruptBodyFlipsExactlyOneByteAndKeepsTheLength() throws Exception {
        proxy.fault(Fault.CORRUPT_BODY);
        Raw r = Raw.get(proxy, "/blob");
        assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(SIZE));
        assertThat(r.body()).hasSize(SIZE);
        assertThat(r.end()).isEqualTo(End.EOF);
        byte[] body = r.body();
        int differing = 0;
        for (int i = 0; i < SIZE; i++) {
            if (body[i] != BLOB[i]) {
                differing++;
                assertThat(i).isEqualTo(SIZE / 2);
            }
        }
        assertThat(differing).isOne();
    }

    @Test
    void truncateDeclaresTheFullLengthButSendsHalfThenCloses() throws Exception {
        proxy.fault(Fault.TRUNCATE_BODY);
        Raw r = Raw.get(proxy, "/blob");
        assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(SIZE));
        assertThat(r.body()).isEqualTo(Arrays.copyOf(BLOB, SIZE / 2));
        assertThat(r.end()).isEqualTo(End.EOF);
    }

    @Test
    void stallSendsHalfTheBodyThenNothingWhileTheSocketStaysOpen() throws Exception {
        proxy.fault(Fault.STALL_MID_BODY);
        Raw r = Raw.get(proxy, "/blob");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(Arrays.copyOf(BLOB, SIZE / 2));
        assertThat(r.end()).isEqualTo(End.TIMEOUT);
    }

    @Test
    void resetSendsAtMostHalfTheBodyThenAnRst() throws Exception {
        proxy.fault(Fault.RESET_MID_BODY);
        Raw r = Raw.get(proxy, "/blob");
        assertThat(r.end()).isEqualTo(End.RESET);
        assertThat(r.received().length).isLessThanOrEqualTo(r.headLength() + SIZE / 2);
        if (r.headLength() > 0) {
            assertThat(BLOB).startsWith(r.body());
        }
    }

    @Test
    void faultsApplyOnlyToMatchingPaths() throws Exception {
        proxy.fault(Fault.TRUNCATE_BODY, p -> p.equals("/chunked"));
        assertThat(Raw.get(proxy, "/blob").body()).isEqualTo(BLOB);
        assertThat(Raw.get(proxy, "/chunked").body()).hasSize(1500);
        assertThat(proxy.requests()).extracting(RecordedRequest::fault)
                .containsExactly(Fault.NONE, Fault.TRUNCATE_BODY);
        assertThat(FaultProxy.blob("sha256:ab").test("/v2/a/b/blobs/sha256:ab")).isTrue();
        assertThat(FaultProxy.blob("sha256:ab").test("/v2/a/b/blobs/sha256:abc")).isFalse();
    }

    @Test
    void closeCutsHeldConnectionsStopsListeningAndEndsItsThreads() throws Exception {
        proxy.fault(Fault.STALL_MID_BODY);
        String proxyThreadPrefix = "fault-proxy-" + proxy.port() + "-";
        assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().startsWith(proxyThreadPrefix));
        try (Socket s = new Socket("127.0.0.1", proxy.port())) {
            s.getOutputStream().write("GET /blob HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(5_000);
            InputStream in = s.getInputStream();
            assertThat(in.read()).isEqualTo('H');
            proxy.close();
            // the held connection is closed by the proxy: the rest arrives, then end of stream or reset
            End end = Raw.drain(s, new ByteArrayOutputStream());
            assertThat(end).isIn(End.EOF, End.RESET);
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(
                t -> t.getName().startsWith(proxyThreadPrefix) && t.isAlive());
        try (Socket s = new Socket()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> s.connect(new InetSocketAddress("127.0.0.1", proxy.port()), 1000))
                    .isInstanceOf(ConnectException.class);
        }
    }

    enum End { EOF, TIMEOUT, RESET }

    /**
     * Everything a raw client got for one request, and how the stream ended. A busy machine may take seconds to
     * answer at all, so the first byte is awaited for {@link #FIRST_BYTE_MS}; once bytes flow, a pause of
     * {@link #QUIET_MS} is a stall ({@link End#TIMEOUT}).
     */
    record Raw(byte[] received, int headLength, End end) {
        static final int FIRST_BYTE_MS = 5_000;
        static final int QUIET_MS = 1_500;

        static Raw get(FaultProxy proxy, String path, String... headers) throws IOException {
            try (Socket s = new Socket("127.0.0.1", proxy.port())) {
                s.setSoTimeout(FIRST_BYTE_MS);
                StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + proxy.hostPort()
                        + "\r\n");
                for (String h : headers) {
                    req.append(h).append("\r\n");
                }
                s.getOutputStream().write(req.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                End end = drain(s, all);
                byte[] bytes = all.toByteArray();
                return new Raw(bytes, headEnd(bytes), end);
            }
        }

        static End drain(Socket s, ByteArrayOutputStream sink) {
            byte[] buf = new byte[8192];
            try {
                InputStream in = s.getInputStream();
                for (int n; (n = in.read(buf)) != -1; ) {
                    sink.write(buf, 0, n);
                    s.setSoTimeout(QUIET_MS);
                }
                return End.EOF;
            } catch (SocketTimeoutException e) {
                return End.TIMEOUT;
            } catch (SocketException e) {
                return End.RESET;
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        private static int headEnd(byte[] b) {
            for (int i = 0; i + 3 < b.length; i++) {
                if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                    return i + 4;
                }
            }
            return 0;
        }

        String head() {
            return new String(received, 0, headLength, StandardCharsets.ISO_8859_1);
        }

        int status() {
            return Integer.parseInt(head().split(" ")[1]);
        }

        String header(String name) {
            return head().lines().skip(1).filter(l -> l.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                    .map(l -> l.substring(name.length() + 1).strip()).findFirst().orElse(null);
        }

        byte[] body() {
            return Arrays.copyOfRange(received, headLength, received.length);
        }
    }
}
