package dev.jpull.testdata;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Minimal HTTP/1.1 message reading and writing for {@link FaultProxy} (heads, bodies, chunked decoding). */
final class HttpWire {
    private static final int MAX_LINE = 16 * 1024;
    private static final int MAX_HEADERS = 200;
    /** Bodies larger than this are refused (the proxy buffers whole bodies). */
    static final long MAX_BODY = 256L * 1024 * 1024;
    /** Hop-by-hop headers (RFC 9110 section 7.6.1), never forwarded. */
    static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "trailers", "transfer-encoding", "upgrade");

    private HttpWire() {
    }

    /** A start line and header fields in arrival order. */
    record Head(String startLine, List<Map.Entry<String, String>> headers) {
        /** First value of a header (case-insensitive), or null. */
        String header(String name) {
            for (Map.Entry<String, String> h : headers) {
                if (h.getKey().equalsIgnoreCase(name)) {
                    return h.getValue();
                }
            }
            return null;
        }

        /** Headers minus hop-by-hop ones, minus those named in {@code Connection}, minus {@code names}. */
        List<Map.Entry<String, String>> endToEnd(String... names) {
            Set<String> drop = new java.util.HashSet<>(HOP_BY_HOP);
            Arrays.stream(names).map(n -> n.toLowerCase(Locale.ROOT)).forEach(drop::add);
            String connection = header("Connection");
            if (connection != null) {
                Arrays.stream(connection.split(",")).map(s -> s.strip().toLowerCase(Locale.ROOT)).forEach(drop::add);
            }
            List<Map.Entry<String, String>> out = new ArrayList<>();
            for (Map.Entry<String, String> h : headers) {
                if (!drop.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                    out.add(h);
                }
            }
            return out;
        }
    }

    /** Reads a message head; null when the stream ends before its first byte. */
    static Head readHead(InputStream in) throws IOException {
        String start = readLine(in, true);
        if (start == null) {
            return null;
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (String line = readLine(in, false); !line.isEmpty(); line = readLine(in, false)) {
            int colon = line.indexOf(':');
            if (colon <= 0 || headers.size() >= MAX_HEADERS) {
                throw new IOException("malformed header line: " + line);
            }
            headers.add(Map.entry(line.substring(0, colon).strip(), line.substring(colon + 1).strip()));
        }
        return new Head(start, headers);
    }

    /**
     * Reads a body framed by {@code head}: chunked, {@code Content-Length}, or (responses only) until end of
     * stream. {@code bodyless} for responses to HEAD and 1xx/204/304.
     */
    static byte[] readBody(InputStream in, Head head, boolean response, boolean bodyless) throws IOException {
        if (bodyless) {
            return new byte[0];
        }
        String te = head.header("Transfer-Encoding");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            return readChunked(in);
        }
        String cl = head.header("Content-Length");
        if (cl != null) {
            long n = Long.parseLong(cl.strip());
            if (n < 0 || n > MAX_BODY) {
                throw new IOException("unsupported Content-Length " + n);
            }
            return readExactly(in, (int) n);
        }
        return response ? readToEnd(in) : new byte[0];
    }

    /** Writes a head ({@code CRLF}-terminated lines and the empty line). */
    static void writeHead(OutputStream out, String startLine, List<Map.Entry<String, String>> headers)
            throws IOException {
        StringBuilder sb = new StringBuilder(startLine).append("\r\n");
        for (Map.Entry<String, String> h : headers) {
            sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        sb.append("\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in, false);
            int semi = sizeLine.indexOf(';');
            long size = Long.parseLong((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).strip(), 16);
            if (size == 0) {
                while (!readLine(in, false).isEmpty()) {
                    // trailer fields are dropped
                }
                return body.toByteArray();
            }
            if (body.size() + size > MAX_BODY) {
                throw new IOException("chunked body too large");
            }
            body.write(readExactly(in, (int) size));
            readLine(in, false);
        }
    }

    private static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new EOFException("body ended after " + b.length + " of " + n + " bytes");
        }
        return b;
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = in.read(buf)) != -1; ) {
            if (body.size() + n > MAX_BODY) {
                throw new IOException("body too large");
            }
            body.write(buf, 0, n);
        }
        return body.toByteArray();
    }

    /** A line without its CRLF; null at end of stream only when {@code eofAllowed} and nothing was read. */
    private static String readLine(InputStream in, boolean eofAllowed) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c == -1) {
                if (eofAllowed && sb.length() == 0) {
                    return null;
                }
                throw new EOFException("stream ended inside a line");
            }
            if (c == '\n') {
                int len = sb.length();
                return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
            }
            if (sb.length() >= MAX_LINE) {
                throw new IOException("line too long");
            }
            sb.append((char) c);
        }
    }
}
