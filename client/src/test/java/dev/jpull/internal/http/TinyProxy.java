package dev.jpull.internal.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal forward proxy on loopback for tests: {@code GET http://host:port/path} (forwarded with
 * {@code Connection: close}) and {@code CONNECT host:port} (blind tunnel). Optionally demands
 * {@code Proxy-Authorization}. Records the request line and the {@code Proxy-Authorization} of every request.
 */
public final class TinyProxy implements AutoCloseable {
    /** One request the proxy received: request line and Proxy-Authorization (null when absent). */
    public record Seen(String requestLine, String proxyAuthorization) {
    }

    private final ServerSocket server;
    private final String requiredAuthorization;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    /** @param requiredAuthorization the {@code Proxy-Authorization} value to insist on, or null */
    public TinyProxy(String requiredAuthorization) throws IOException {
        this.requiredAuthorization = requiredAuthorization;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "tiny-proxy");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> handle(s), "tiny-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            String requestLine = line(in);
            List<String> headers = new ArrayList<>();
            for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                headers.add(h);
            }
            if (requestLine == null) {
                return;
            }
            String auth = header(headers, "proxy-authorization");
            seen.add(new Seen(requestLine, auth));
            if (requiredAuthorization != null && !requiredAuthorization.equals(auth)) {
                out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"tiny\"\r\n"
                        + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                return;
            }
            String[] parts = requestLine.split(" ");
            if (parts[0].equals("CONNECT")) {
                String[] hp = parts[1].split(":");
                try (Socket upstream = new Socket(hp[0], Integer.parseInt(hp[1]))) {
                    out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    Thread back = new Thread(() -> pump(upstream, client), "tiny-proxy-pump");
                    back.setDaemon(true);
                    back.start();
                    pump(client, upstream);
                    back.join(10_000);
                }
                return;
            }
            URI uri = URI.create(parts[1]);
            try (Socket upstream = new Socket(uri.getHost(), uri.getPort())) {
                StringBuilder req = new StringBuilder(parts[0]).append(' ').append(uri.getRawPath())
                        .append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()).append(" HTTP/1.1\r\n");
                for (String h : headers) {
                    String name = h.substring(0, h.indexOf(':')).toLowerCase(Locale.ROOT);
                    if (!name.startsWith("proxy-") && !name.equals("connection")) {
                        req.append(h).append("\r\n");
                    }
                }
                req.append("Connection: close\r\n\r\n");
                upstream.getOutputStream().write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
                upstream.getOutputStream().flush();
                byte[] response = upstream.getInputStream().readAllBytes();
                out.write(withConnectionClose(response));
                out.flush();
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the client sees a broken connection
        }
    }

    private static byte[] withConnectionClose(byte[] response) {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        StringBuilder head = new StringBuilder();
        for (String h : text.substring(0, end).split("\r\n")) {
            if (!h.toLowerCase(Locale.ROOT).startsWith("connection:")) {
                head.append(h).append("\r\n");
            }
        }
        head.append("Connection: close\r\n\r\n");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        b.write(response, end + 4, response.length - end - 4);
        return b.toByteArray();
    }

    private static void pump(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // closed
        }
    }

    private static String header(List<String> headers, String name) {
        for (String h : headers) {
            int colon = h.indexOf(':');
            if (colon > 0 && h.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals(name)) {
                return h.substring(colon + 1).strip();
            }
        }
        return null;
    }

    /** Reads a CRLF line byte by byte (no buffering past the header: a tunnel follows). */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
