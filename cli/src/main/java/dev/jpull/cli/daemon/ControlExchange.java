package dev.jpull.cli.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 request and its response on the control socket: what {@code curl --unix-socket} sends (the
 * launcher's client), no more. Hand-written because neither the JDK's HTTP server nor OkHttp serves a Unix
 * socket, and the protocol is one request per connection: a request line, headers (only {@code Content-Length}
 * and {@code Expect} are read), a body of at most {@link #MAX_BODY} bytes; no chunked bodies, no keep-alive.
 * Every size is bounded; the caller bounds the time (ControlServer closes a connection that has not sent its
 * request within a few seconds).
 *
 * @param method the request's method ({@code GET}, {@code POST})
 * @param target the request target ({@code /v1/run})
 * @param body   the body, empty when there is none
 */
record ControlExchange(String method, String target, byte[] body) {
    static final int MAX_HEAD = 8 * 1024;
    static final int MAX_BODY = 1024 * 1024;

    /** A request that cannot be served, with the status to answer. */
    static final class BadRequest extends Exception {
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** Reads one request from {@code ch} (blocking). */
    static ControlExchange read(SocketChannel ch) throws IOException, BadRequest {
        ByteBuffer buf = ByteBuffer.allocate(MAX_HEAD);
        int end;
        while ((end = headEnd(buf)) < 0) {
            if (!buf.hasRemaining()) {
                throw new BadRequest(431, "request head longer than " + MAX_HEAD + " bytes");
            }
            if (ch.read(buf) < 0) {
                throw new BadRequest(400, "connection closed before the end of the request head");
            }
        }
        String head = new String(buf.array(), 0, end, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n");
        String[] start = lines[0].split(" ");
        if (start.length != 3 || !start[2].startsWith("HTTP/1.")) {
            throw new BadRequest(400, "not an HTTP/1.1 request line");
        }
        long length = 0;
        boolean expect = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new BadRequest(400, "malformed header line");
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = length(value);
                case "transfer-encoding" -> throw new BadRequest(411, "a body needs a Content-Length");
                case "expect" -> expect = value.equalsIgnoreCase("100-continue");
                default -> { }
            }
        }
        if (length > MAX_BODY) {
            throw new BadRequest(413, "body longer than " + MAX_BODY + " bytes");
        }
        byte[] body = new byte[(int) length];
        int have = Math.min(buf.position() - (end + 4), body.length);
        System.arraycopy(buf.array(), end + 4, body, 0, have);
        if (expect && have < body.length) {
            write(ch, "HTTP/1.1 100 Continue\r\n\r\n");
        }
        ByteBuffer rest = ByteBuffer.wrap(body, have, body.length - have);
        while (rest.hasRemaining()) {
            if (ch.read(rest) < 0) {
                throw new BadRequest(400, "connection closed before the end of the body");
            }
        }
        return new ControlExchange(start[0], start[1], body);
    }

    private static long length(String value) throws BadRequest {
        if (value.isEmpty() || value.length() > 10 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new BadRequest(400, "invalid Content-Length");
        }
        return Long.parseLong(value);
    }

    /** Where the head ends ({@code \r\n\r\n}), or -1. */
    private static int headEnd(ByteBuffer buf) {
        byte[] a = buf.array();
        for (int i = 0; i + 3 < buf.position(); i++) {
            if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Sends a complete response: {@code status} with {@code body} (plain text), then the connection is done. */
    static void respond(SocketChannel ch, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        write(ch, "HTTP/1.1 " + status + " " + reason(status) + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + b.length + "\r\nConnection: close\r\n\r\n" + body);
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 411 -> "Length Required";
            case 413 -> "Content Too Large";
            case 431 -> "Request Header Fields Too Large";
            default -> "Error";
        };
    }

    private static void write(SocketChannel ch, String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
