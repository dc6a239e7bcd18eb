package dev.jpull.testdata;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Follows the HTTP/1.1 exchanges of one connection just enough to stall a response half way through its body: the
 * request methods (a {@code HEAD} answer has no body), each response's status and {@code Content-Length}. The first
 * body of at least {@code minBody} bytes is cut at its middle ({@link #allow} returns fewer bytes than it was
 * given); a chunked or unframed response ends the watching (everything after it passes). Not thread-safe beyond
 * one request thread calling {@link #request} and one response thread calling {@link #allow}.
 */
final class HttpWatch {
    private final long minBody;
    private final Queue<String> methods = new ConcurrentLinkedQueue<>();
    private final StringBuilder requestHead = new StringBuilder();
    private final ByteArrayOutputStream responseHead = new ByteArrayOutputStream();
    private boolean inBody;
    private boolean passThrough;
    private long bodyLeft;
    private long stallLeft = -1; // bytes of the current body still forwarded before the stall, -1: no stall

    HttpWatch(long minBody) {
        this.minBody = minBody;
    }

    /** Bytes the client sent: the methods of the requests in them, in order (requests have no bodies here). */
    void request(byte[] bytes) {
        requestHead.append(new String(bytes, StandardCharsets.ISO_8859_1));
        int end;
        while ((end = requestHead.indexOf("\r\n\r\n")) >= 0) {
            String head = requestHead.substring(0, end);
            int sp = head.indexOf(' ');
            methods.add(sp > 0 ? head.substring(0, sp) : head);
            requestHead.delete(0, end + 4);
        }
    }

    /** How many of {@code len} response bytes from {@code off} go on to the client; fewer than {@code len}: stall. */
    int allow(byte[] b, int off, int len) {
        int pos = off;
        int end = off + len;
        while (pos < end) {
            if (passThrough) {
                return len;
            }
            if (!inBody) {
                responseHead.write(b[pos++]);
                if (endsWithBlankLine()) {
                    startBody();
                }
                continue;
            }
            int n = (int) Math.min(end - pos, bodyLeft);
            if (stallLeft >= 0 && n >= stallLeft) {
                return pos - off + (int) stallLeft;
            }
            if (stallLeft >= 0) {
                stallLeft -= n;
            }
            bodyLeft -= n;
            pos += n;
            if (bodyLeft == 0) {
                inBody = false;
            }
        }
        return len;
    }

    private boolean endsWithBlankLine() {
        byte[] h = responseHead.toByteArray();
        int n = h.length;
        return n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n';
    }

    private void startBody() {
        String head = responseHead.toString(StandardCharsets.ISO_8859_1);
        responseHead.reset();
        String[] lines = head.split("\r\n");
        String[] status = lines[0].split(" ");
        int code = status.length > 1 ? Integer.parseInt(status[1]) : 0;
        if (code >= 100 && code < 200) {
            return; // an interim response: the real one follows
        }
        String method = methods.poll();
        long length = -1;
        boolean chunked = false;
        for (String line : lines) {
            String l = line.toLowerCase(Locale.ROOT);
            if (l.startsWith("content-length:")) {
                length = Long.parseLong(l.substring("content-length:".length()).trim());
            } else if (l.startsWith("transfer-encoding:") && l.contains("chunked")) {
                chunked = true;
            }
        }
        if ("HEAD".equals(method) || code == 204 || code == 304) {
            return;
        }
        if (chunked || length < 0) {
            passThrough = true;
            return;
        }
        if (length > 0) {
            inBody = true;
            bodyLeft = length;
            stallLeft = length >= minBody ? length / 2 : -1;
        }
    }
}
