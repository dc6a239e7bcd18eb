package dev.jpull.testdata;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A registry that answers with exactly the bytes a test gives it, on a raw socket: reason phrases and header values
 * with ESC, BEL and C1 controls (Latin-1 on the wire, as HTTP/1.1 allows), which real servers' HTTP libraries would
 * refuse to send. One request per connection ({@code Connection: close}); paths without a route get a plain 404.
 */
public final class HostileRegistry implements AutoCloseable {
    /** One canned answer. */
    public record Reply(int status, String reason, List<Map.Entry<String, String>> headers, byte[] body) {
        public static Reply of(int status, String reason, byte[] body, String... headers) {
            List<Map.Entry<String, String>> h = new java.util.ArrayList<>();
            for (int i = 0; i < headers.length; i += 2) {
                h.add(Map.entry(headers[i], headers[i + 1]));
            }
            return new Reply(status, reason, h, body);
        }
    }

    private final ServerSocket server;
    private final Map<String, Reply> routes = new ConcurrentHashMap<>();

    public HostileRegistry() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "hostile-registry");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** {@code 127.0.0.1:PORT}. */
    public String hostPort() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Answers GET and HEAD of {@code path} (query ignored) with {@code reply}. */
    public HostileRegistry route(String path, Reply reply) {
        routes.put(path, reply);
        return this;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "hostile-registry-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = new BufferedInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
            String requestLine = readLine(in);
            while (true) {
                String header = readLine(in);
                if (header == null || header.isEmpty()) {
                    break;
                }
            }
            if (requestLine == null) {
                return;
            }
            String[] parts = requestLine.split(" ");
            if (parts.length < 2) {
                return;
            }
            String path = parts[1].replaceFirst("\\?.*", "");
            Reply r = routes.getOrDefault(path, Reply.of(404, "Not Found", new byte[0]));
            StringBuilder head = new StringBuilder("HTTP/1.1 ").append(r.status()).append(' ').append(r.reason())
                    .append("\r\n");
            for (Map.Entry<String, String> h : r.headers()) {
                head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
            }
            head.append("Content-Length: ").append(r.body().length).append("\r\nConnection: close\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (!parts[0].equals("HEAD")) {
                out.write(r.body());
            }
            out.flush();
        } catch (IOException e) {
            // the client went away: nothing to answer
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
            if (line.size() > 16 * 1024) {
                return null;
            }
        }
        return b < 0 && line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
