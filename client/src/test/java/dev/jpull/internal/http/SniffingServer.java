package dev.jpull.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain-http server on loopback that tells a TLS ClientHello (first byte 0x16, which it answers by closing the
 * connection, as a plain server's parser gives up) from an HTTP request (answered with a fixed status and
 * {@code {}}), and counts both.
 */
final class SniffingServer implements AutoCloseable {
    private final ServerSocket socket;
    private final int status;
    private final AtomicInteger tlsHellos = new AtomicInteger();
    private final AtomicInteger plainRequests = new AtomicInteger();
    private final Thread acceptor;

    private SniffingServer(int status) throws IOException {
        this.status = status;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "sniffing-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static SniffingServer answering(int status) throws IOException {
        return new SniffingServer(status);
    }

    int port() {
        return socket.getLocalPort();
    }

    int tlsHellos() {
        return tlsHellos.get();
    }

    int plainRequests() {
        return plainRequests.get();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                serve(s);
            } catch (IOException e) {
                // closed, or a client that went away: next
            }
        }
    }

    private void serve(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        int first = in.read();
        if (first < 0) {
            return;
        }
        if (first == 0x16) {
            tlsHellos.incrementAndGet();
            return; // closing: what a plain server does with bytes it cannot parse
        }
        int matched = 0; // up to the end of the request headers
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        plainRequests.incrementAndGet();
        OutputStream out = s.getOutputStream();
        out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                + "Connection: close\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
