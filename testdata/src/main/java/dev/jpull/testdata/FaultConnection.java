package dev.jpull.testdata;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One client connection of a {@link FaultProxy}: one request, forwarded, answered with the fault applied. */
final class FaultConnection {
    private final FaultProxy proxy;
    private final Socket client;

    FaultConnection(FaultProxy proxy, Socket client) {
        this.proxy = proxy;
        this.client = client;
    }

    void run() {
        try {
            InputStream in = new BufferedInputStream(client.getInputStream());
            HttpWire.Head request = HttpWire.readHead(in);
            if (request == null) {
                return;
            }
            String[] start = request.startLine().split(" ");
            if (start.length != 3 || request.header("Transfer-Encoding") != null) {
                respondError(501, "unsupported request: " + request.startLine());
                return;
            }
            String method = start[0];
            String target = start[1];
            byte[] requestBody = HttpWire.readBody(in, request, false, false);
            int q = target.indexOf('?');
            String path = q >= 0 ? target.substring(0, q) : target;
            Fault fault = proxy.faultFor(path);
            proxy.record(new RecordedRequest(method, path, request.header("Range"), fault));
            if (fault == Fault.NEVER_ANSWER) {
                hold(in);
                return;
            }
            if (fault.status() != 0) {
                respondStatus(fault.status(), method.equals("HEAD"), in);
                return;
            }
            Upstream response;
            try {
                response = forward(method, target, request, requestBody);
            } catch (IOException e) {
                respondError(502, "target " + proxy.targetHostPort() + " failed: " + e);
                return;
            }
            answer(response, fault, in);
        } catch (IOException | RuntimeException e) {
            // the client went away or spoke nonsense; nothing to answer
        }
    }

    private record Upstream(HttpWire.Head head, byte[] body, boolean bodyless) {
    }

    private Upstream forward(String method, String target, HttpWire.Head request, byte[] body) throws IOException {
        Socket upstream = proxy.connectTarget();
        try {
            OutputStream out = new BufferedOutputStream(upstream.getOutputStream());
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            headers.add(Map.entry("Host", proxy.targetHostPort()));
            headers.addAll(request.endToEnd("Host", "Content-Length"));
            if (body.length > 0 || request.header("Content-Length") != null) {
                headers.add(Map.entry("Content-Length", Integer.toString(body.length)));
            }
            headers.add(Map.entry("Connection", "close"));
            HttpWire.writeHead(out, method + " " + target + " HTTP/1.1", headers);
            out.write(body);
            out.flush();
            InputStream in = new BufferedInputStream(upstream.getInputStream());
            HttpWire.Head head = HttpWire.readHead(in);
            while (head != null && status(head) >= 100 && status(head) < 200) {
                head = HttpWire.readHead(in); // skip interim responses
            }
            if (head == null) {
                throw new IOException("target closed the connection without answering");
            }
            int status = status(head);
            boolean bodyless = method.equals("HEAD") || status == 204 || status == 304;
            return new Upstream(head, HttpWire.readBody(in, head, true, bodyless), bodyless);
        } finally {
            proxy.release(upstream);
        }
    }

    private void answer(Upstream r, Fault fault, InputStream in) throws IOException {
        OutputStream out = client.getOutputStream();
        List<Map.Entry<String, String>> headers = new ArrayList<>(r.head().endToEnd("Content-Length"));
        String length = r.bodyless() ? r.head().header("Content-Length") : Integer.toString(r.body().length);
        if (length != null) {
            headers.add(Map.entry("Content-Length", length));
        }
        headers.add(Map.entry("Connection", "close"));
        String[] statusLine = r.head().startLine().split(" ", 2);
        HttpWire.writeHead(out, "HTTP/1.1 " + (statusLine.length > 1 ? statusLine[1] : "502 Bad Gateway"), headers);
        byte[] body = r.body();
        int half = body.length / 2;
        switch (r.bodyless() ? Fault.NONE : fault) {
            case CORRUPT_BODY -> {
                byte[] copy = body.clone();
                if (copy.length > 0) {
                    copy[half] ^= (byte) 0xff;
                }
                out.write(copy);
                out.flush();
                client.shutdownOutput();
            }
            case TRUNCATE_BODY -> {
                out.write(body, 0, half);
                out.flush();
                client.shutdownOutput();
            }
            case STALL_MID_BODY -> {
                out.write(body, 0, half);
                out.flush();
                hold(in);
            }
            case RESET_MID_BODY -> {
                out.write(body, 0, half);
                out.flush();
                client.setSoLinger(true, 0);
                client.close();
            }
            default -> {
                out.write(body);
                out.flush();
                client.shutdownOutput();
            }
        }
        if (!client.isClosed() && fault != Fault.STALL_MID_BODY) {
            drainBriefly(in);
        }
    }

    /** Waits until the client closes the connection (or the proxy is closed); sends nothing. */
    private void hold(InputStream in) {
        try {
            client.setSoTimeout(0);
            byte[] buf = new byte[4096];
            while (in.read(buf) != -1) {
                // discard whatever the client sends
            }
        } catch (IOException ignored) {
            // closed under us: done holding
        }
    }

    /** After a FIN, lets the client read to the end before the socket is closed (avoids an RST on close). */
    private void drainBriefly(InputStream in) {
        try {
            client.setSoTimeout(5_000);
            byte[] buf = new byte[4096];
            while (in.read(buf) != -1) {
                // discard
            }
        } catch (IOException ignored) {
            // gone or slow: close anyway
        }
    }

    private void respondError(int status, String message) throws IOException {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        OutputStream out = client.getOutputStream();
        HttpWire.writeHead(out, "HTTP/1.1 " + status + (status == 502 ? " Bad Gateway" : " Not Implemented"),
                List.of(Map.entry("Content-Type", "text/plain; charset=utf-8"),
                        Map.entry("Content-Length", Integer.toString(body.length)),
                        Map.entry("Connection", "close")));
        out.write(body);
        out.flush();
    }

    /** A distribution-style error answer ({@code UNKNOWN} / {@code TOOMANYREQUESTS}), bodyless for HEAD. */
    private void respondStatus(int status, boolean head, InputStream in) throws IOException {
        boolean throttled = status == 429;
        byte[] body = ("{\"errors\":[{\"code\":\"" + (throttled ? "TOOMANYREQUESTS" : "UNKNOWN")
                + "\",\"message\":\"" + (throttled ? "too many requests" : "injected server error")
                + "\"}]}\n").getBytes(StandardCharsets.UTF_8);
        OutputStream out = client.getOutputStream();
        HttpWire.writeHead(out, "HTTP/1.1 " + status + (throttled ? " Too Many Requests" : " Internal Server Error"),
                List.of(Map.entry("Content-Type", "application/json; charset=utf-8"),
                        Map.entry("Content-Length", Integer.toString(body.length)),
                        Map.entry("Connection", "close")));
        if (!head) {
            out.write(body);
        }
        out.flush();
        client.shutdownOutput();
        drainBriefly(in);
    }

    private static int status(HttpWire.Head head) throws IOException {
        String[] parts = head.startLine().split(" ");
        try {
            return Integer.parseInt(parts[1]);
        } catch (RuntimeException e) {
            throw new IOException("malformed status line: " + head.startLine());
        }
    }
}
