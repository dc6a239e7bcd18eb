package dev.jpull.internal.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hostile endpoint on a raw socket: answers every request with the same bytes (status line, headers and body
 * exactly as given, however malformed) and closes the connection. Counts the requests it answered.
 */
final class CannedServer implements AutoCloseable {
    private final ServerSocket socket;
    private final byte[] response;
    private final AtomicInteger requests = new AtomicInteger();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "canned-server");
        t.setDaemon(true);
        return t;
    });

    /** @param head status line and header lines, separated by {@code \r\n}, without the blank line */
    CannedServer(String head, byte[] body) throws IOException {
        byte[] h = (head + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        this.response = new byte[h.length + body.length];
        System.arraycopy(h, 0, response, 0, h.length);
        System.arraycopy(body, 0, response, h.length, body.length);
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        pool.submit(this::acceptLoop);
    }

    int port() {
        return socket.getLocalPort();
    }

    int requests() {
        return requests.get();
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
            readHead(s.getInputStream());
            requests.incrementAndGet();
            s.getOutputStream().write(response);
            s.getOutputStream().flush();
            s.shutdownOutput();
            Thread.sleep(200); // let the client read it all before the socket goes away
        } catch (IOException | InterruptedException e) {
            // the client went away: nothing to do
        }
    }

    /** Reads up to the blank line that ends the request head (GETs have no body). */
    private static void readHead(InputStream in) throws IOException {
        int last4 = 0;
        int c;
        while ((c = in.read()) != -1) {
            last4 = (last4 << 8) | c;
            if (last4 == 0x0d0a0d0a) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        pool.shutdownNow();
    }
}
