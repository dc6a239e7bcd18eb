package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.jpull.cli.option.Env;
import dev.jpull.testdata.ClosedPort;
import dev.jpull.testdata.Fault;
import dev.jpull.testdata.FaultProxy;
import dev.jpull.testdata.Image;
import dev.jpull.testdata.ImageGenerator;
import dev.jpull.testdata.RegistryFixture;
import dev.jpull.testdata.RegistryFixture.Mode;
import dev.jpull.testdata.Skopeo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code digest}, {@code inspect} and {@code tags} fail over as a pull does: with a first endpoint that is dead,
 * never answers or answers 500, each succeeds from the real registry behind it and its JSON names that registry as
 * the endpoint that answered and the first endpoint's failure among the attempts. And {@code tags} lists a
 * repository of 250 tags completely across the registry's pages.
 */
class QueryFailoverIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MANY = 250;
    private static Path tmp;
    private static RegistryFixture registry;
    private static Image image;

    /** What the first endpoint does. */
    enum FirstEndpoint { DEAD, NEVER_ANSWERS, ANSWERS_500 }

    @BeforeAll
    static void seed() throws Exception {
        tmp = Files.createTempDirectory("jpull-query-failover");
        registry = RegistryFixture.start(Mode.PLAIN);
        image = new ImageGenerator(78).singlePlatform(tmp.resolve("layout"), "app", 2, 30_000);
        Skopeo.copyToRegistry(image.layoutDir(), "app", registry, "library/app:1.0");
        Skopeo.copyToRegistry(image.layoutDir(), "app", registry, "team/many:tag-000");
        pushTags("team/many", MANY);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @ParameterizedTest
    @EnumSource(FirstEndpoint.class)
    @org.junit.jupiter.api.Timeout(value = 150, unit = java.util.concurrent.TimeUnit.SECONDS) // < one header timeout each
    void everyQueryFailsOverToTheRegistry(FirstEndpoint first) throws Exception {
        try (FirstServer server = FirstServer.start(first)) {
            Path yaml = tmp.resolve("registries-" + first + ".yaml");
            Files.writeString(yaml, "mirrors:\n  \"" + registry.hostPort() + "\":\n    endpoint:\n      - \""
                    + server.url() + "\"\n");
            String ref = registry.hostPort() + "/library/app:1.0";
            List<String[]> commands = List.of(
                    new String[] {"digest", ref},
                    new String[] {"digest", "--platform", "linux/amd64", ref},
                    new String[] {"inspect", ref},
                    new String[] {"tags", registry.hostPort() + "/library/app"});
            for (String[] command : commands) {
                CliRun r = run(yaml, command);
                assertThat(r.exitCode()).as(String.join(" ", command) + ": " + r.err()).isZero();
                JsonNode out = JSON.readTree(r.out());
                assertThat(out.path("endpoint").asText()).as(command[0]).isEqualTo(registry.baseUrl() + "/v2");
                List<String> failedOn = new ArrayList<>();
                out.path("attempts").forEach(a -> {
                    if (!a.path("outcome").asText().equals("ok")) {
                        failedOn.add(a.path("endpoint").asText());
                    }
                });
                assertThat(failedOn).as(command[0] + " " + r.out()).contains(server.url() + "/v2");
                if (first == FirstEndpoint.NEVER_ANSWERS) { // hedged as a pull's manifest request, not waited on
                    assertThat(out.path("attempts").get(0).path("outcome").asText()).as(command[0])
                            .isEqualTo("hedged");
                }
                assertThat(r.err()).contains(server.url() + "/v2");
            }
            CliRun digest = run(yaml, "digest", ref);
            assertThat(JSON.readTree(digest.out()).path("digest").asText())
                    .isEqualTo(Skopeo.inspectDigest(registry, "library/app:1.0")).isEqualTo(image.manifestDigest());
        }
    }

    /**
     * 250 tags across pages: every page is followed, and the list is skopeo's. distribution 2.8 (the registry the
     * tests run) ignores {@code n} for tag lists and answers every tag at once (checked here), so a {@link Pager}
     * in front of it pages its answer as distribution 3 does ({@code n}, {@code last}, {@code Link: <...>;
     * rel="next"}, 100 tags a page by default); skopeo lists the same tags through it.
     */
    @Test
    void tagsFollowsEveryPage() throws Exception {
        try (Pager pager = Pager.start(registry)) {
            Path yaml = tmp.resolve("registries-pages.yaml");
            Files.writeString(yaml, "mirrors:\n  \"" + registry.hostPort() + "\":\n    endpoint:\n      - \""
                    + pager.url() + "\"\n");
            List<String> expected = IntStream.range(0, MANY).mapToObj(i -> String.format("tag-%03d", i)).toList();
            List<String> skopeo = Skopeo.listTags(pager.hostPort(), "team/many");
            assertThat(skopeo).isEqualTo(expected);
            assertThat(Skopeo.listTags(registry, "team/many")).containsExactlyInAnyOrderElementsOf(expected);

            pager.pages.set(0);
            CliRun r = CliRun.run(env(), "tags", "-c", yaml.toString(), "--no-memory",
                    registry.hostPort() + "/team/many");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(List.of(r.out().split("\n"))).isEqualTo(skopeo);
            assertThat(pager.pages.get()).isEqualTo(3); // 100 + 100 + 50

            pager.pages.set(0);
            CliRun small = CliRun.run(env(), "tags", "-c", yaml.toString(), "--no-memory", "--page-size", "40",
                    "-o", "json", registry.hostPort() + "/team/many");
            assertThat(small.exitCode()).as(small.err()).isZero();
            JsonNode json = JSON.readTree(small.out());
            List<String> listed = new ArrayList<>();
            json.path("tags").forEach(t -> listed.add(t.asText()));
            assertThat(listed).isEqualTo(expected);
            assertThat(json.path("endpoint").asText()).isEqualTo(pager.url() + "/v2");
            assertThat(pager.pages.get()).isEqualTo((MANY + 39) / 40);
        }
    }

    /** Pages the real registry's tag list by {@code n} and {@code last}, as distribution 3 does. */
    private record Pager(HttpServer server, java.util.concurrent.atomic.AtomicInteger pages) implements AutoCloseable {
        static Pager start(RegistryFixture upstream) throws IOException {
            HttpClient http = HttpClient.newHttpClient();
            java.util.concurrent.atomic.AtomicInteger pages = new java.util.concurrent.atomic.AtomicInteger();
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
                int status = 200;
                if (path.endsWith("/tags/list")) {
                    pages.incrementAndGet();
                    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
                    int n = Integer.parseInt(query.getOrDefault("n", "100"));
                    String last = query.get("last");
                    List<String> all;
                    try {
                        String answer = http.send(HttpRequest.newBuilder(URI.create(upstream.baseUrl() + path))
                                .build(), HttpResponse.BodyHandlers.ofString()).body();
                        all = new ArrayList<>();
                        JSON.readTree(answer).path("tags").forEach(t -> all.add(t.asText()));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException(e);
                    }
                    List<String> page = all.stream().sorted().filter(t -> last == null || t.compareTo(last) > 0)
                            .limit(n).toList();
                    var node = JSON.createObjectNode().put("name", path.substring(4, path.length() - 10));
                    page.forEach(node.putArray("tags")::add);
                    body = JSON.writeValueAsBytes(node);
                    if (!page.isEmpty() && all.stream().anyMatch(t -> t.compareTo(page.get(page.size() - 1)) > 0)) {
                        exchange.getResponseHeaders().add("Link", "<" + path + "?last=" + page.get(page.size() - 1)
                                + "&n=" + n + ">; rel=\"next\"");
                    }
                } else if (!path.equals("/v2/")) {
                    status = 404;
                }
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return new Pager(server, pages);
        }

        private static Map<String, String> query(String raw) {
            Map<String, String> out = new java.util.HashMap<>();
            if (raw != null) {
                for (String pair : raw.split("&")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        out.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1),
                                StandardCharsets.UTF_8));
                    }
                }
            }
            return out;
        }

        String hostPort() {
            return "127.0.0.1:" + server.getAddress().getPort();
        }

        String url() {
            return "http://" + hostPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static CliRun run(Path yaml, String... command) {
        List<String> args = new ArrayList<>(List.of(command[0], "-c", yaml.toString(), "-o", "json", "--no-memory",
                "--header-timeout", "60s")); // a silent endpoint is raced by the next one, not waited on
        args.addAll(List.of(command).subList(1, command.length));
        return CliRun.run(env(), args.toArray(String[]::new));
    }

    private static Env env() {
        return Env.of(Map.of("JPULL_STORE", tmp.resolve("store").toString()), tmp.resolve("home"));
    }

    /** The same manifest under {@code tag-001} .. {@code tag-(count-1)}: a PUT of its bytes per tag. */
    private static void pushTags(String repository, int count) throws IOException, InterruptedException {
        byte[] manifest = Files.readAllBytes(image.blobPath(image.manifestDigest()));
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 1; i < count; i++) {
            HttpRequest put = HttpRequest.newBuilder(URI.create(registry.baseUrl() + "/v2/" + repository
                            + "/manifests/" + String.format("tag-%03d", i)))
                    .header("Content-Type", ImageGenerator.MANIFEST_TYPE)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)).build();
            HttpResponse<String> response = http.send(put, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalStateException("PUT tag " + i + ": " + response.statusCode() + " " + response.body());
            }
        }
    }

    /** The first endpoint of the plan, doing {@link FirstEndpoint}. */
    private record FirstServer(String url, AutoCloseable resource) implements AutoCloseable {
        static FirstServer start(FirstEndpoint kind) {
            switch (kind) {
                case DEAD:
                    return new FirstServer(ClosedPort.allocate().baseUrl(), () -> { });
                case NEVER_ANSWERS: {
                    FaultProxy proxy = FaultProxy.start(registry);
                    proxy.fault(Fault.NEVER_ANSWER);
                    return new FirstServer("http://" + proxy.hostPort(), proxy);
                }
                default: {
                    try {
                        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                        server.createContext("/", exchange -> {
                            byte[] body = "{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"boom\"}]}"
                                    .getBytes(StandardCharsets.UTF_8);
                            exchange.getResponseHeaders().add("Content-Type", "application/json");
                            exchange.sendResponseHeaders(500, "HEAD".equals(exchange.getRequestMethod()) ? -1
                                    : body.length);
                            if (!"HEAD".equals(exchange.getRequestMethod())) {
                                exchange.getResponseBody().write(body);
                            }
                            exchange.close();
                        });
                        server.start();
                        return new FirstServer("http://127.0.0.1:" + server.getAddress().getPort(),
                                () -> server.stop(0));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }

        @Override
        public void close() throws Exception {
            resource.close();
        }
    }
}
