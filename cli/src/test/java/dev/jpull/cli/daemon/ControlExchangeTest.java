package dev.jpull.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control socket's HTTP over a real Unix socket pair. */
class ControlExchangeTest {
    @TempDir
    Path tmp;

    private ServerSocketChannel server;
    private SocketChannel client;
    private SocketChannel served;

    @BeforeEach
    void connect() throws IOException {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(tmp.resolve("s.sock"));
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(address);
        client = SocketChannel.open(address);
        served = server.accept();
    }

    @AfterEach
    void close() throws IOException {
        client.close();
        served.close();
        server.close();
    }

    private void send(String text) throws IOException {
        client.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private String received() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4096);
        client.read(b);
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    @Test
    void readsARequestWithItsBody() throws Exception {
        send("POST /v1/run HTTP/1.1\r\nHost: jpull\r\ncontent-length: 5\r\n\r\nab\0cd");

        ControlExchange r = ControlExchange.read(served);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.target()).isEqualTo("/v1/run");
        assertThat(r.body()).containsExactly('a', 'b', 0, 'c', 'd');
    }

    @Test
    void answersExpectContinueBeforeTheBody() throws Exception {
        send("POST /v1/run HTTP/1.1\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
        Thread t = new Thread(() -> {
            try {
                assertThat(received()).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
                send("xyz");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        t.start();
        assertThat(ControlExchange.read(served).body()).containsExactly('x', 'y', 'z');
        t.join();
    }

    @Test
    void respondsWithLengthAndClose() throws Exception {
        ControlExchange.respond(served, 200, "0\n");
        assertThat(received()).isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: 2\r\nConnection: close\r\n\r\n0\n");
    }

    @Test
    void refusesWhatItDoesNotServe() throws Exception {
        send("POST /v1/run HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
        assertThat(catchThrowableOfType(() -> ControlExchange.read(served), ControlExchange.BadRequest.class).status)
                .isEqualTo(411);
    }

    @Test
    void boundsTheBody() throws Exception {
        send("POST /v1/run HTTP/1.1\r\nContent-Length: " + (ControlExchange.MAX_BODY + 1) + "\r\n\r\n");
        assertThat(catchThrowableOfType(() -> ControlExchange.read(served), ControlExchange.BadRequest.class).status)
                .isEqualTo(413);
    }

    @Test
    void boundsTheHead() throws Exception {
        send("GET /" + "a".repeat(ControlExchange.MAX_HEAD) + " HTTP/1.1\r\n\r\n");
        assertThat(catchThrowableOfType(() -> ControlExchange.read(served), ControlExchange.BadRequest.class).status)
                .isEqualTo(431);
    }

    @Test
    void aClientThatLeavesEarlyIsABadRequest() throws Exception {
        send("POST /v1/run HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
        client.shutdownOutput();
        assertThat(catchThrowableOfType(() -> ControlExchange.read(served), ControlExchange.BadRequest.class))
                .hasMessage("connection closed before the end of the body");
    }

    @Test
    void refusesANonHttpRequestLine() throws Exception {
        send("hello\r\n\r\n");
        assertThat(catchThrowableOfType(() -> ControlExchange.read(served), ControlExchange.BadRequest.class))
                .hasMessage("not an HTTP/1.1 request line");
    }
}
