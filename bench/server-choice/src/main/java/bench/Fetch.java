package bench;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A client in containerd's style (one shared HTTP/1.1 client with a keep-alive pool, each body read to the end
 * and its length checked against Content-Length, an error on a short body). Args: URL CONCURRENCY [SEQUENTIAL [REPS]].
 * Prints, REPS times in one JVM (the first run warms the JIT), "total_s MiB/s ok errors" for CONCURRENCY clients each doing SEQUENTIAL (default 1) GETs; with
 * -Dbench.verbose=true each error too.
 */
public final class Fetch {
    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int n = Integer.parseInt(args[1]);
        int seq = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        int reps = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        for (int rep = 0; rep < reps; rep++) {
            run(http, pool, uri, n, seq);
        }
        pool.shutdown();
        System.exit(0);
    }

    private static void run(HttpClient http, ExecutorService pool, URI uri, int n, int seq) throws Exception {
        long t0 = System.nanoTime();
        List<Future<Long>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            fs.add(pool.submit(() -> {
                long total = 0;
                byte[] buf = new byte[256 * 1024];
                for (int k = 0; k < seq; k++) {
                    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(uri).build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                    long want = r.headers().firstValueAsLong("Content-Length").orElse(-1);
                    long got = 0;
                    try (InputStream in = r.body()) {
                        for (int m; (m = in.read(buf)) > 0; ) {
                            got += m;
                        }
                    }
                    if (want >= 0 && got != want) {
                        throw new IllegalStateException("short body accepted: " + got + " of " + want);
                    }
                    total += got;
                }
                return total;
            }));
        }
        long bytes = 0;
        int ok = 0;
        int errors = 0;
        for (Future<Long> f : fs) {
            try {
                bytes += f.get();
                ok++;
            } catch (Exception e) {
                errors++;
                if (Boolean.getBoolean("bench.verbose")) {
                    System.err.println("error: " + e.getCause());
                }
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%.3f %.1f %d %d%n", s, bytes / s / (1 << 20), ok, errors);
    }
}
