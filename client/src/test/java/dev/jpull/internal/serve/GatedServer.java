package dev.jpull.internal.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An endpoint on a raw socket that sends the first {@code half} bytes of {@code body} for a request whose path
 * contains {@code marker} (a HEAD of it gets the headers), then waits for {@link #release} before it sends the rest;
 * every other request is a 404.
 * It lets a test be sure that a client received bytes before the endpoint finished its body.
 */
final class GatedServer implements AutoCloseable {
    private final ServerSocket socket;
    private final String marker;
    private final byte[] body;
    private final int half;
    private final CountDownLatch gate = new CountDownLatch(1);
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "gated-server");
        t.setDaemon(true);
        return t;
    });

    GatedServer(String marker, byte[] body, int half) throws IOException {
        this.marker = marker;
        this.body = body;
        this.half = half;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        pool.submit(this::acceptLoop);
    }

    int port() {
        return socket.getLocalPort();
    }

    void release() {
        gate.countDown();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                pool.submit(() -> answer(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void answer(Socket s) {
        try (s) {
            String head = readHead(s.getInputStream());
            OutputStream out = s.getOutputStream();
            if (!head.contains(marker)) {
                out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                return;
            }
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            if (head.startsWith("HEAD ")) {
                out.flush();
                return;
            }
            out.write(body, 0, half);
            out.flush();
            gate.await(60, TimeUnit.SECONDS);
            out.write(body, half, body.length - half);
            out.flush();
        } catch (IOException | InterruptedException e) {
            // the client went away
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            b.append((char) c);
            if (b.length() >= 4 && b.substring(b.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        gate.countDown();
        socket.close();
        pool.shutdownNow();
    }
}
