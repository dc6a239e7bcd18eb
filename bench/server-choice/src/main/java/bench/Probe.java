package bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Raw-socket probes of a server on 127.0.0.1:PORT.
 * <ul>
 * <li>{@code slowloris PORT N MODE LIMIT_S}: N connections that send half a request line ({@code half}), nothing
 * ({@code idle}) or one byte every 2 s ({@code trickle}); after 1 s a normal GET (5 s timeout) tells whether the
 * server still answers; then prints how many of the N the server closed within LIMIT_S and the median time.</li>
 * <li>{@code stall PORT PATH STALL_S}: GET PATH, read 1 MiB, stop reading for STALL_S (the server's write blocks),
 * ask /stats meanwhile, then read on and print how much of the body arrived: all = the server waited (its thread
 * blocked the whole stall), less = the server cut the connection.</li>
 * </ul>
 */
public final class Probe {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        if (args[0].equals("slowloris")) {
            slowloris(port, Integer.parseInt(args[2]), args[3], Integer.parseInt(args[4]));
        } else {
            stall(port, args[2], Integer.parseInt(args[3]));
        }
    }

    private static void slowloris(int port, int n, String mode, int limit) throws Exception {
        List<Socket> socks = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            if (!mode.equals("idle")) {
                s.getOutputStream().write((mode.equals("half") ? "GET /v2/x/blobs/1k HT" : "G")
                        .getBytes(StandardCharsets.US_ASCII));
            }
            socks.add(s);
        }
        Thread.sleep(1000);
        long q = System.nanoTime();
        String normal;
        try {
            normal = get(port, "/v2/x/blobs/1k", 5000) + " in " + (System.nanoTime() - q) / 1_000_000 + " ms";
        } catch (IOException e) {
            normal = "FAILED after " + (System.nanoTime() - q) / 1_000_000 + " ms: " + e;
        }
        long[] closedAt = new long[n];
        Arrays.fill(closedAt, -1);
        int closed = 0;
        String trickle = "ET /v2/x/blobs/1k HTTP/1.1\r\nHost: x\r\nX-Pad: " + "a".repeat(10000);
        int tpos = 0;
        long end = t0 + limit * 1_000_000_000L;
        long nextTrickle = System.nanoTime() + 2_000_000_000L;
        while (closed < n && System.nanoTime() < end) {
            for (int i = 0; i < n; i++) {
                if (closedAt[i] >= 0) {
                    continue;
                }
                Socket s = socks.get(i);
                s.setSoTimeout(1);
                try {
                    if (s.getInputStream().read() < 0) {
                        closedAt[i] = System.nanoTime() - t0;
                        closed++;
                    }
                } catch (SocketTimeoutException e) {
                    // still open
                } catch (IOException e) {
                    closedAt[i] = System.nanoTime() - t0;
                    closed++;
                }
            }
            if (mode.equals("trickle") && System.nanoTime() > nextTrickle) {
                for (int i = 0; i < n; i++) {
                    if (closedAt[i] < 0) {
                        try {
                            socks.get(i).getOutputStream().write(trickle.charAt(tpos));
                        } catch (IOException e) {
                            closedAt[i] = System.nanoTime() - t0;
                            closed++;
                        }
                    }
                }
                tpos++;
                nextTrickle += 2_000_000_000L;
            }
            Thread.sleep(50);
        }
        long[] c = Arrays.stream(closedAt).filter(x -> x >= 0).sorted().toArray();
        System.out.printf("slowloris %s n=%d: normal GET during it: %s; closed by server within %d s: %d/%d%s%n",
                mode, n, normal, limit, c.length, n,
                c.length > 0 ? String.format(" (median %.1f s)", c[c.length / 2] / 1e9) : "");
        for (Socket s : socks) {
            s.close();
        }
    }

    private static String get(int port, String path, int timeout) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(timeout);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] b = s.getInputStream().readAllBytes();
            String text = new String(b, 0, Math.min(b.length, 4096), StandardCharsets.US_ASCII);
            if (text.isEmpty()) {
                return "empty answer";
            }
            int body = text.indexOf("\r\n\r\n");
            String status = text.substring(0, Math.min(12, text.length()));
            return body > 0 && b.length - body < 40 ? status + " " + text.substring(body + 4).trim()
                    : status + " (" + b.length + " bytes)";
        }
    }

    private static void stall(int port, String path, int stallS) throws Exception {
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(64 * 1024);
            s.connect(new InetSocketAddress("127.0.0.1", port));
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64 * 1024];
            long got = 0;
            while (got < Blobs.MIB) {
                int m = in.read(buf);
                if (m < 0) {
                    break;
                }
                got += m;
            }
            long t0 = System.nanoTime();
            Thread.sleep(stallS * 1000L - 1000);
            String stats = get(port, "/stats", 5000);
            Thread.sleep(1000);
            String tail;
            s.setSoTimeout(60000);
            try {
                for (int m; (m = in.read(buf)) > 0; ) {
                    got += m;
                    if (got > 512L * Blobs.MIB + 4096) {
                        break;
                    }
                }
                tail = "EOF";
            } catch (IOException e) {
                tail = e.toString();
            }
            System.out.printf("stall %s %d s: /stats at %d s: %s; then read on: %d bytes incl. headers, %s%n", path,
                    stallS, (System.nanoTime() - t0) / 1_000_000_000L - 1, stats.replace('\n', ' '), got, tail);
        }
    }
}
