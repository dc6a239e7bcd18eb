package dev.jpull.cli.startup;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jpull.cli.Main;
import dev.jpull.cli.option.Env;
import dev.jpull.cli.output.Terminal;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The training run of the {@code ./jpull} launcher's class-data-sharing archive: run once with
 * {@code -XX:ArchiveClassesAtExit=FILE -cp jpull.jar dev.jpull.cli.startup.Training}, it goes through the common paths
 * ({@code --version}, {@code resolve}, a pull into an empty store, the same pull again, JSON output, a pull into a
 * stand-in containerd, {@link TrainingContainerd}) against an
 * in-process registry on loopback, so that the classes those paths load are in the archive. Prints nothing;
 * exits 0 when every run succeeded, else 1 (the launcher then does without the archive).
 */
public final class Training {
    private Training() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, Blob> content = new HashMap<>();
        byte[] layer = new byte[300 * 1024];
        new Random(1).nextBytes(layer);
        Blob layerBlob = Blob.of("application/vnd.oci.image.layer.v1.tar+gzip", layer);
        Blob config = Blob.of("application/vnd.oci.image.config.v1+json",
                "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
                        .getBytes(StandardCharsets.UTF_8));
        Blob manifest = Blob.of("application/vnd.oci.image.manifest.v1+json", ("{\"schemaVersion\":2,"
                + "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":" + config.descriptor() + ",\"layers\":[" + layerBlob.descriptor() + "]}")
                .getBytes(StandardCharsets.UTF_8));
        content.put("/v2/train/image/blobs/" + layerBlob.digest, layerBlob);
        content.put("/v2/train/image/blobs/" + config.digest, config);
        content.put("/v2/train/image/manifests/1", manifest);

        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> serve(exchange, content));
        server.start();
        Path store = Files.createTempDirectory("jpull-training");
        int failures = 0;
        try {
            String image = "127.0.0.1:" + server.getAddress().getPort() + "/train/image:1";
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
            Env env = Env.of(Map.of(), store);
            // a node's mirror configuration, as K3s and containerd keep it, so that reading it is in the archive too
            String host = "127.0.0.1:" + server.getAddress().getPort();
            Path yaml = Files.writeString(store.resolve("registries.yaml"), "mirrors:\n  \"" + host
                    + "\":\n    endpoint:\n      - \"http://" + host + "\"\n  docker.io:\n    endpoint:\n"
                    + "      - \"https://mirror.invalid:5000\"\nconfigs:\n  \"mirror.invalid:5000\":\n    tls:\n"
                    + "      insecure_skip_verify: true\n");
            Path hosts = Files.createDirectories(store.resolve("hosts").resolve(host));
            Files.writeString(hosts.resolve("hosts.toml"), "server = \"http://" + host + "\"\n\n[host.\"http://"
                    + host + "\"]\n  capabilities = [\"pull\", \"resolve\"]\n");
            Path pulls = store.resolve("pulls");
            String[][] runs = {
                {"--version"},
                {"resolve", image},
                {"--store", pulls.toString(), image},
                {"--store", pulls.toString(), image},
                {"--store", pulls.toString(), "-o", "json", image},
                {"--store", store.resolve("yaml").toString(), "-c", yaml.toString(), "-o", "json", image},
                {"--store", store.resolve("hosts-dir").toString(), "--hosts-dir", hosts.getParent().toString(),
                    "-o", "json", image},
            };
            // what every start does before its command: the process environment and whether stderr is a terminal
            Terminal.isStderr(Env.system());
            for (String[] run : runs) {
                failures += Main.run(run, quiet, quiet, env) == 0 ? 0 : 1;
            }
            trainContainerd(image, quiet, env);
        } finally {
            server.stop(0);
            deleteTree(store);
        }
        System.exit(failures == 0 ? 0 : 1);
    }

    /**
     * A pull into a stand-in containerd, so that the gRPC client's classes are in the archive too. Optional: when it
     * fails, the archive still serves the common paths.
     */
    private static void trainContainerd(String image, PrintStream quiet, Env env) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("jpull-training-ctd");
            Path socket = dir.resolve("c.sock");
            try (TrainingContainerd containerd = TrainingContainerd.start(socket)) {
                Main.run(new String[] {"--containerd", socket.toString(), "--namespace", "training", "--no-unpack",
                    "-o", "json", image}, quiet, quiet, env);
            }
        } catch (IOException | RuntimeException | InterruptedException | LinkageError e) {
            // the containerd path starts without the archive then
        } finally {
            if (dir != null) {
                deleteTree(dir);
            }
        }
    }

    private static void serve(HttpExchange exchange, Map<String, Blob> content) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Blob blob = content.get(path);
            if (path.equals("/v2/") || path.equals("/v2")) {
                blob = new Blob("application/json", "{}".getBytes(StandardCharsets.UTF_8), null);
            }
            if (blob == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", blob.mediaType);
            if (blob.digest != null) {
                exchange.getResponseHeaders().set("Docker-Content-Digest", blob.digest);
            }
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(200, head ? -1 : blob.bytes.length);
            if (!head) {
                exchange.getResponseBody().write(blob.bytes);
            }
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory; best effort
        }
    }

    private record Blob(String mediaType, byte[] bytes, String digest) {
        static Blob of(String mediaType, byte[] bytes) {
            try {
                byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
                return new Blob(mediaType, bytes, "sha256:" + HexFormat.of().formatHex(d));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        String descriptor() {
            return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + bytes.length + "}";
        }
    }
}
