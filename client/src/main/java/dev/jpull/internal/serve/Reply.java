package dev.jpull.internal.serve;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The answer to one request over the JDK's HTTP server, and what the access log says of it. A body of known
 * length is sent with {@code Content-Length} ({@code HEAD}: the header only); {@link #abort} closes the connection
 * before the body is complete, so that the client sees a failed transfer rather than a short blob.
 */
final class Reply {
    private final HttpExchange exchange;
    private final boolean head;
    private int status;
    private long sent;
    private String source = "-";
    private OutputStream body;
    private volatile boolean aborted;
    /** When the write in progress started ({@link System#nanoTime}), 0 when none is. */
    private volatile long writingSince;

    Reply(HttpExchange exchange) {
        this.exchange = exchange;
        this.head = exchange.getRequestMethod().equals("HEAD");
    }

    boolean head() {
        return head;
    }

    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    Reply header(String name, String value) {
        exchange.getResponseHeaders().set(name, value);
        return this;
    }

    void source(String source) {
        this.source = source;
    }

    /** Sends the status and headers of a body of {@code length} bytes (which {@link #write} then sends). */
    void start(int status, long length) throws IOException {
        this.status = status;
        if (head) {
            exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
            body = exchange.getResponseBody();
        }
    }

    void write(byte[] bytes, int off, int len) throws IOException {
        if (body != null && len > 0) {
            writingSince = System.nanoTime();
            try {
                body.write(bytes, off, len);
            } finally {
                writingSince = 0;
            }
            sent += len;
        }
    }

    /** True when a write to the client has been blocked for more than {@code nanos} (it stopped reading). */
    boolean stalledFor(long nanos) {
        long since = writingSince;
        return since != 0 && System.nanoTime() - since > nanos;
    }

    /** Pushes what was written to the client (before waiting for more). */
    void flush() throws IOException {
        if (body != null) {
            writingSince = System.nanoTime();
            try {
                body.flush();
            } finally {
                writingSince = 0;
            }
        }
    }

    /** A whole small body. */
    void send(int status, String contentType, byte[] bytes) throws IOException {
        header("Content-Type", contentType);
        start(status, bytes.length);
        write(bytes, 0, bytes.length);
    }

    /** A registry error body. */
    void error(int status, String code, String message) throws IOException {
        send(status, "application/json", ErrorBody.of(code, message));
    }

    boolean started() {
        return status != 0;
    }

    /** Ends the exchange: the body is complete (or there was none). */
    void finish() {
        exchange.close();
    }

    /** Cuts the connection before the body is complete: the client's transfer fails. */
    void abort() {
        aborted = true;
        exchange.close(); // a fixed-length body not written in full closes the connection
    }

    int status() {
        return status;
    }

    long sent() {
        return sent;
    }

    boolean aborted() {
        return aborted;
    }

    String source() {
        return source;
    }
}
