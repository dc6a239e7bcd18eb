package dev.jpull.internal.registry;

import dev.jpull.internal.oci.MediaTypes;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A registry on a raw socket serving one {@link TestImage}, honouring {@code Range: bytes=N-} with a correct 206,
 * with exact control over faults that WireMock cannot place at a given byte: per blob, a queue of faults consumed
 * one per request (cut the body after K bytes by FIN or RST, stall after K bytes, ignore the range, answer a 206
 * for the wrong bytes). Bodies can be throttled. Records every blob request and every blob byte sent.
 */
final class RangeServer implements AutoCloseable {
    enum Kind { CLOSE_AFTER, RESET_AFTER, STALL_AFTER, IGNORE_RANGE, WRONG_RANGE_START }

    /** One fault; {@code at} counts bytes of this response's body. */
    record Fault(Kind kind, long at) {
        static Fault closeAfter(long k) {
            return new Fault(Kind.CLOSE_AFTER, k);
        }

        static Fault resetAfter(long k) {
            return new Fault(Kind.RESET_AFTER, k);
        }

        static Fault stallAfter(long k) {
            return new Fault(Kind.STALL_AFTER, k);
        }

        static Fault ignoreRange() {
            return new Fault(Kind.IGNORE_RANGE, 0);
        }

        static Fault wrongRangeStart() {
            return new Fault(Kind.WRONG_RANGE_START, 0);
        }
    }

    /** A blob request as received; {@code range} is null when the request had none. */
    record BlobRequest(String digest, String range) {
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final TestImage image;
    private final String tag;
    private final ServerSocket socket;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "range-server");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Deque<Fault>> faults = new ConcurrentHashMap<>();
    private final List<BlobRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong blobBytesSent = new AtomicLong();
    private final Map<String, AtomicLong> bytesPerBlob = new ConcurrentHashMap<>();
    private volatile int chunk = 64 * 1024;
    private volatile long chunkDelayMillis;
    private volatile boolean closed;

    RangeServer(TestImage image, String tag) throws IOException {
        this.image = image;
        this.tag = tag;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        pool.submit(this::acceptLoop);
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Faults for the next requests of {@code digest}, one per request, in order; later requests are served well. */
    void fault(String digest, Fault... list) {
        faults.computeIfAbsent(digest, d -> new ArrayDeque<>()).addAll(List.of(list));
    }

    /** Sends blob bodies in {@code bytes}-sized pieces with a pause after each (0: no pause). */
    void throttle(int bytes, long delayMillis) {
        this.chunk = bytes;
        this.chunkDelayMillis = delayMillis;
    }

    List<BlobRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    List<String> ranges(String digest) {
        return requests().stream().filter(r -> r.digest().equals(digest)).map(BlobRequest::range).toList();
    }

    /** Body bytes sent for all blobs. */
    long blobBytesSent() {
        return blobBytesSent.get();
    }

    /** Body bytes sent for {@code digest}. */
    long blobBytesSent(String digest) {
        AtomicLong n = bytesPerBlob.get(digest);
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        socket.close();
        pool.shutdownNow();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = socket.accept();
                pool.submit(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (!closed) {
                String requestLine = line(in);
                if (requestLine == null || requestLine.isEmpty()) {
                    return;
                }
                Map<String, String> headers = new HashMap<>();
                for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                    int colon = h.indexOf(':');
                    headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
                }
                String path = requestLine.split(" ")[1].replaceFirst("\\?.*", "");
                if (!respond(s, out, path, headers.get("range"))) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // connection gone; nothing to do
        }
    }

    /** Returns false when the connection must not be reused. */
    private boolean respond(Socket s, OutputStream out, String path, String range)
            throws IOException, InterruptedException {
        if (path.equals(image.manifestPath(tag)) || path.equals(image.manifestPath(image.manifestDigest()))) {
            head(out, "200 OK", image.manifest().length, "Content-Type: " + MediaTypes.OCI_MANIFEST + "\r\n"
                    + "Docker-Content-Digest: " + image.manifestDigest() + "\r\n");
            out.write(image.manifest());
            out.flush();
            return true;
        }
        String digest = path.substring(path.lastIndexOf('/') + 1);
        byte[] blob = path.equals(image.blobPath(digest)) ? blobBytes(digest) : null;
        if (blob == null) {
            head(out, "404 Not Found", 0, "");
            out.flush();
            return true;
        }
        requests.add(new BlobRequest(digest, range));
        Deque<Fault> queue = faults.get(digest);
        Fault fault = queue == null ? null : queue.poll();
        Kind kind = fault == null ? null : fault.kind();
        Matcher m = range == null ? null : RANGE.matcher(range);
        long start = m != null && m.matches() && kind != Kind.IGNORE_RANGE ? Long.parseLong(m.group(1)) : -1;
        byte[] body;
        if (start >= 0) {
            long claimed = kind == Kind.WRONG_RANGE_START ? 0 : start;
            body = java.util.Arrays.copyOfRange(blob, (int) claimed, blob.length);
            head(out, "206 Partial Content", body.length, "Content-Range: bytes " + claimed + "-"
                    + (blob.length - 1) + "/" + blob.length + "\r\n");
        } else {
            body = blob;
            head(out, "200 OK", body.length, "");
        }
        long limit = kind == Kind.CLOSE_AFTER || kind == Kind.RESET_AFTER || kind == Kind.STALL_AFTER
                ? fault.at() : body.length;
        int sent = 0;
        while (sent < limit) {
            int n = (int) Math.min(chunk, limit - sent);
            out.write(body, sent, n);
            out.flush();
            sent += n;
            blobBytesSent.addAndGet(n);
            bytesPerBlob.computeIfAbsent(digest, x -> new AtomicLong()).addAndGet(n);
            if (chunkDelayMillis > 0) {
                Thread.sleep(chunkDelayMillis);
            }
        }
        out.flush();
        if (kind == Kind.RESET_AFTER) {
            Thread.sleep(300); // let the client read what was sent: the reset must come after those bytes
            s.setSoLinger(true, 0);
            return false;
        }
        if (kind == Kind.CLOSE_AFTER) {
            return false;
        }
        if (kind == Kind.STALL_AFTER) {
            while (!closed && !s.isClosed()) {
                Thread.sleep(50);
            }
            return false;
        }
        return true;
    }

    private byte[] blobBytes(String digest) {
        if (digest.equals(image.configDigest())) {
            return image.config();
        }
        int i = image.layerDigests().indexOf(digest);
        return i < 0 ? null : image.layers().get(i);
    }

    private static void head(OutputStream out, String status, long length, String extra) throws IOException {
        out.write(("HTTP/1.1 " + status + "\r\nContent-Length: " + length + "\r\n" + extra + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
    }

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
}
