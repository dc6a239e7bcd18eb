package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jpull.testdata.ClosedPort;
import dev.jpull.testdata.ContainerdFixture;
import dev.jpull.testdata.FaultProxy;
import dev.jpull.testdata.Image;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.RecordedRequest;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.RegistryFixture.Mode;
import dev.jpull.testdata.Skopeo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code jpull config render --local-mirror} verified by containerd 1.6 itself ({@code ctr images pull --hosts-dir}
 * with the rendered directory) against the real registry: with nothing listening on the local mirror's port,
 * containerd falls back to the original endpoints (the mirror of the registries.yaml, or for a registry without
 * an entry, the registry itself through {@code _default}) and the pull completes; with a stand-in on that port
 * (a recording proxy to the registry, in place of {@code jpull serve}), containerd sends every request there
 * first, each with {@code ?ns=<registry>} (percent-encoded: {@code ns=127.0.0.1%3A5000}), and the original
 * endpoint sees none. The registry named in the image
 * references of the mirrored case is down (a closed port), so a pull can only succeed through the rendered
 * endpoints. The same holds for the registries.yaml that {@code --format registries-yaml} writes, rendered as K3s
 * renders it. Each case pulls an image of its own (containerd shares content across namespaces).
 */
class RenderLocalMirrorIT {
    private static Path tmp;
    private static RegistryFixture registry;
    private static FaultProxy originalMirror;
    private static ContainerdFixture containerd;
    private static ClosedPort upstream;
    private static Path yaml;
    private static final List<Image> IMAGES = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        tmp = Files.createTempDirectory("jpull-lm");
        registry = RegistryFixture.start(Mode.PLAIN);
        for (int i = 0; i < 5; i++) {
            Image image = new ImageGenerator(1300 + i).singlePlatform(tmp.resolve("layout" + i), "x", 2, 30_000);
            Skopeo.copyToRegistry(image.layoutDir(), "x", registry, "library/img" + i + ":1.0");
            IMAGES.add(image);
        }
        originalMirror = FaultProxy.start(registry);
        upstream = ClosedPort.allocate();
        yaml = Files.writeString(tmp.resolve("registries.yaml"), """
                mirrors:
                  "%s":
                    endpoint:
                      - "http://%s"
                """.formatted(upstream.hostPort(), originalMirror.hostPort()));
        containerd = ContainerdFixture.start(tmp.resolve("ctd"));
    }

    @AfterAll
    static void stop() {
        if (containerd != null) {
            containerd.close();
        }
        if (originalMirror != null) {
            originalMirror.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    /** Renders the hosts directory for {@code yaml} with the local mirror on {@code port}; returns certs.d. */
    private static Path render(String name, int port) {
        Path out = tmp.resolve(name);
        CliRun r = CliRun.run(tmp, "config", "render", "-c", yaml.toString(), "--local-mirror", "127.0.0.1:" + port,
                "--output-dir", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        return out.resolve("certs.d");
    }

    /** {@code ctr -n t images pull --hosts-dir certs REF}, then the digest containerd recorded for REF. */
    private static void pull(Path certs, String ref, Image image) {
        containerd.ctr("-n", "t", "images", "pull", "--hosts-dir", certs.toString(), ref);
        assertThat(containerd.ctr("-n", "t", "images", "ls").lines().filter(l -> l.startsWith(ref + " ")))
                .singleElement().asString().contains(image.manifestDigest());
    }

    private static List<RecordedRequest> mirrorRequestsFor(String repository) {
        return originalMirror.requests().stream().filter(q -> q.path().startsWith("/v2/" + repository + "/"))
                .toList();
    }

    @Test
    void localMirrorDownContainerdFallsBackToTheMirrorOfTheConfiguration() {
        Path certs = render("down", ClosedPort.allocate().port());
        String ref = upstream.hostPort() + "/library/img0:1.0";
        pull(certs, ref, IMAGES.get(0));
        assertThat(mirrorRequestsFor("library/img0")).extracting(RecordedRequest::path)
                .anyMatch(p -> p.contains("/manifests/"))
                .contains("/v2/library/img0/blobs/" + IMAGES.get(0).layerDigests().get(0));
    }

    @Test
    void localMirrorUpGetsEveryRequestFirstWithTheRegistryAsNs() throws IOException {
        try (Recorder local = Recorder.start(registry.baseUrl())) {
            Path certs = render("up", local.port());
            String ref = upstream.hostPort() + "/library/img1:1.0";
            pull(certs, ref, IMAGES.get(1));
            assertThat(local.requests()).isNotEmpty().allSatisfy(u -> assertThat(u.getQuery())
                    .isEqualTo("ns=" + upstream.hostPort()));
            assertThat(local.requests()).extracting(URI::getPath).anyMatch(p -> p.contains("/manifests/"))
                    .contains("/v2/library/img1/blobs/" + IMAGES.get(1).configDigest());
            assertThat(mirrorRequestsFor("library/img1")).as("the original endpoint is not needed").isEmpty();
        }
    }

    @Test
    void aRegistryWithoutAnEntryGoesThroughDefaultToTheLocalMirrorThenToItself() throws IOException {
        Path down = render("default-down", ClosedPort.allocate().port());
        assertThat(down.resolve("_default/hosts.toml")).exists();
        pull(down, registry.hostPort() + "/library/img2:1.0", IMAGES.get(2));

        try (Recorder local = Recorder.start(registry.baseUrl())) {
            Path up = render("default-up", local.port());
            pull(up, registry.hostPort() + "/library/img3:1.0", IMAGES.get(3));
            assertThat(local.requests()).isNotEmpty().allSatisfy(u -> assertThat(u.getQuery())
                    .isEqualTo("ns=" + registry.hostPort()));
        }
    }

    @Test
    void theRegistriesYamlFormatRenderedAsK3sDoesFallsBackToo() throws IOException {
        Path k3s = tmp.resolve("k3s");
        CliRun y = CliRun.run(tmp, "config", "render", "-c", yaml.toString(), "--local-mirror",
                ClosedPort.allocate().hostPort(), "--format", "registries-yaml", "--output-dir", k3s.toString());
        assertThat(y.exitCode()).as(y.err()).isZero();
        Path out = tmp.resolve("k3s-rendered");
        CliRun r = CliRun.run(tmp, "config", "render", "-c", k3s.resolve("registries.yaml").toString(),
                "--output-dir", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        String ref = upstream.hostPort() + "/library/img4:1.0";
        pull(out.resolve("certs.d"), ref, IMAGES.get(4));
        assertThat(mirrorRequestsFor("library/img4")).isNotEmpty();
    }

    /**
     * A stand-in for {@code jpull serve}: forwards GET and HEAD to the registry as they came (path, query,
     * {@code Accept}, {@code Range}) and records every request URI.
     */
    static final class Recorder implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService executor = Executors.newCachedThreadPool();
        private final String target;
        private final List<URI> requests = Collections.synchronizedList(new ArrayList<>());

        private Recorder(HttpServer server, String target) {
            this.server = server;
            this.target = target;
        }

        static Recorder start(String target) throws IOException {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            Recorder r = new Recorder(s, target);
            s.createContext("/", r::handle);
            s.setExecutor(r.executor);
            s.start();
            return r;
        }

        int port() {
            return server.getAddress().getPort();
        }

        List<URI> requests() {
            synchronized (requests) {
                return List.copyOf(requests);
            }
        }

        private void handle(HttpExchange ex) throws IOException {
            try (ex) {
                requests.add(ex.getRequestURI());
                HttpURLConnection c = (HttpURLConnection) URI.create(target + ex.getRequestURI()).toURL()
                        .openConnection();
                c.setInstanceFollowRedirects(false);
                c.setRequestMethod(ex.getRequestMethod());
                for (String h : List.of("Accept", "Range")) {
                    List<String> values = ex.getRequestHeaders().get(h);
                    if (values != null) {
                        c.setRequestProperty(h, String.join(", ", values));
                    }
                }
                int status = c.getResponseCode();
                for (String h : List.of("Content-Type", "Docker-Content-Digest", "Content-Range", "Location")) {
                    if (c.getHeaderField(h) != null) {
                        ex.getResponseHeaders().set(h, c.getHeaderField(h));
                    }
                }
                if (ex.getRequestMethod().equals("HEAD")) {
                    if (c.getHeaderField("Content-Length") != null) {
                        ex.getResponseHeaders().set("Content-Length", c.getHeaderField("Content-Length"));
                    }
                    ex.sendResponseHeaders(status, -1);
                    return;
                }
                InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
                byte[] body = in == null ? new byte[0] : in.readAllBytes();
                ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
