package dev.jpull.testdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The WAN proxy delays and paces bytes (asserted as lower bounds only: a busy machine can only be slower), passes
 * keep-alive exchanges through unchanged, stalls a big body at its middle, and never answers when told so.
 */
class WanProxyTest {
    private ServerSocket origin;

    @AfterEach
    void stop() throws IOException {
        if (origin != null) {
            origin.close();
        }
    }

    /** An origin that answers every request head on a connection with {@code response(method)}. */
    private int origin(int bodySize) throws IOException {
        origin = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!origin.isClosed()) {
                try {
                    Socket c = origin.accept();
                    Thread h = new Thread(() -> answer(c, bodySize));
                    h.setDaemon(true);
                    h.start();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return origin.getLocalPort();
    }

    private static void answer(Socket c, int bodySize) {
        try (c) {
            InputStream in = c.getInputStream();
            OutputStream out = c.getOutputStream();
            StringBuilder head = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                head.append((char) b);
                if (head.toString().endsWith("\r\n\r\n")) {
                    boolean isHead = head.toString().startsWith("HEAD");
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + bodySize + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    if (!isHead) {
                        byte[] body = new byte[bodySize];
                        Arrays.fill(body, (byte) 'x');
                        out.write(body);
                    }
                    out.flush();
                    head.setLength(0);
                }
            }
        } catch (IOException ignored) {
            // the client went away
        }
    }

    private static byte[] exchange(Socket s, String method, int expectBody) throws IOException {
        s.getOutputStream().write((method + " /v2/x HTTP/1.1\r\nHost: t\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("connection closed in the headers: " + head);
            }
            head.append((char) b);
        }
        byte[] buf = new byte[8192];
        while (got.size() < expectBody) {
            int n = in.read(buf, 0, Math.min(buf.length, expectBody - got.size()));
            if (n < 0) {
                break;
            }
            got.write(buf, 0, n);
        }
        return got.toByteArray();
    }

    @Test
    void endpointsBehindOneUplinkShareItsRateAndASlowEndpointKeepsItsOwn() {
        WanProxy.Link uplink = new WanProxy.Link(1_000_000);
        WanProxy.Link fast = new WanProxy.Link(0, uplink);
        WanProxy.Link other = new WanProxy.Link(0, uplink);
        WanProxy.Link slow = new WanProxy.Link(100_000, uplink);
        long t0 = 1_000_000_000L;

        assertThat(fast.reserve(1_000_000, t0)).isEqualTo(t0 + 1_000_000_000L);
        assertThat(other.reserve(1_000_000, t0)).as("queued behind the first on the uplink")
                .isEqualTo(t0 + 2_000_000_000L);
        long slowDone = slow.reserve(100_000, t0);
        assertThat(slowDone).as("its own second, then the uplink's queue")
                .isEqualTo(t0 + 2_000_000_000L + 100_000_000L);
    }

    @Test
    void bytesASlowEndpointSendsLaterDoNotHoldUpBytesThatReachTheUplinkFirst() {
        WanProxy.Link uplink = new WanProxy.Link(1_000_000);
        WanProxy.Link fast = new WanProxy.Link(0, uplink);
        WanProxy.Link slow = new WanProxy.Link(100_000, uplink);
        long t0 = 1_000_000_000L;

        long slowDone = slow.reserve(100_000, t0);
        assertThat(slowDone).as("a second on its own link, then 0.1 s on the uplink").isEqualTo(t0 + 1_100_000_000L);
        assertThat(fast.reserve(100_000, t0)).as("the uplink is free until the slow bytes arrive")
                .isEqualTo(t0 + 100_000_000L);
        assertThat(fast.reserve(900_000, t0 + 100_000_000L)).as("fills the gap before the slow bytes")
                .isEqualTo(t0 + 1_000_000_000L);
        assertThat(fast.reserve(1_000, t0 + 1_050_000_000L)).as("behind what is booked when it arrives")
                .isEqualTo(t0 + 1_101_000_000L);
        assertThat(fast.reserve(1_000, t0 + 1_050_000_000L)).as("and behind the one before it")
                .isEqualTo(t0 + 1_102_000_000L);
    }

    @Test
    void delaysEachWayAndPacesTheBodyKeepingTheConnection() throws Exception {
        int port = origin(1_000_000);
        try (WanProxy p = WanProxy.start(0, "127.0.0.1", port, Duration.ofMillis(100), WanProxy.Link.mbit(16),
                WanProxy.Mode.GOOD); Socket s = new Socket("127.0.0.1", p.port())) {
            long start = System.nanoTime();
            assertThat(exchange(s, "GET", 1_000_000)).hasSize(1_000_000);
            long ms = (System.nanoTime() - start) / 1_000_000;
            // 200 ms of round trip plus 1 MB at 2 MB/s
            assertThat(ms).isGreaterThanOrEqualTo(200 + 450);
            // keep-alive: a second exchange on the same connection
            assertThat(exchange(s, "HEAD", 0)).isEmpty();
            assertThat(exchange(s, "GET", 1_000_000)).hasSize(1_000_000);
        }
    }

    @Test
    void stallsTheFirstBigBodyAtItsMiddleAfterAHead() throws Exception {
        int port = origin(1_000_000);
        try (WanProxy p = WanProxy.start(0, "127.0.0.1", port, Duration.ZERO, new WanProxy.Link(0),
                WanProxy.Mode.STALL_MID_BODY); Socket s = new Socket("127.0.0.1", p.port())) {
            assertThat(exchange(s, "HEAD", 0)).isEmpty();
            s.setSoTimeout(0);
            byte[] half = exchange(s, "GET", 500_000);
            assertThat(half).hasSize(500_000);
            s.setSoTimeout(1000);
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void anOriginThatClosesAfterItsAnswerStillDeliversAllOfIt() throws Exception {
        origin = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try (Socket c = origin.accept()) {
                c.getInputStream().read(new byte[1024]);
                c.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"
                        .getBytes(StandardCharsets.US_ASCII));
            } catch (IOException ignored) {
                // the test fails on what the client gets
            }
        });
        t.setDaemon(true);
        t.start();
        try (WanProxy p = WanProxy.start(0, "127.0.0.1", origin.getLocalPort(), Duration.ofMillis(100),
                new WanProxy.Link(0), WanProxy.Mode.GOOD); Socket s = new Socket("127.0.0.1", p.port())) {
            assertThat(new String(exchange(s, "GET", 5), StandardCharsets.US_ASCII)).isEqualTo("hello");
        }
    }

    @Test
    void neverAnswersWhenToldSo() throws Exception {
        int port = origin(10);
        try (WanProxy p = WanProxy.start(0, "127.0.0.1", port, Duration.ZERO, new WanProxy.Link(0),
                WanProxy.Mode.NEVER_ANSWER); Socket s = new Socket("127.0.0.1", p.port())) {
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(1000);
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void forwardsToLoopbackOnly() {
        assertThatThrownBy(() -> WanProxy.start(0, "192.0.2.1", 80, Duration.ZERO, new WanProxy.Link(0),
                WanProxy.Mode.GOOD)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
    }
}
