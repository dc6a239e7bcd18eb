package dev.jpull.internal.registry;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.jpull.Target;
import dev.jpull.Attempt;
import dev.jpull.FailoverPolicy;
import dev.jpull.Hedging;
import dev.jpull.Jpull;
import dev.jpull.Outcome;
import dev.jpull.PullResult;
import dev.jpull.Mirror;
import dev.jpull.RegistriesConfig;
import dev.jpull.Timeouts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A mirror that answers every request (manifest and blobs) with one impossible response: the pull must take
 * everything from the good registry behind it, every answer of the mirror being a failure of that mirror with a
 * one-line message, never an internal error (issue 8, point 5).
 */
class HostileResponseTest {
    /** About classifying the mirror's answer: a hedge to the next endpoint (HedgingTest) would overtake a slow one. */
    private static final FailoverPolicy NO_HEDGING = FailoverPolicy.DEFAULT.withHedging(Hedging.OFF);

    private static final Timeouts FAST = new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(1),
            Duration.ofSeconds(5), Duration.ofSeconds(5));

    private final WireMockServer registry = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    private final TestImage image = TestImage.create("library/app", 2, 50_000, 5);
    private CannedServer mirror;

    @TempDir
    Path store;

    @BeforeEach
    void start() {
        registry.start();
        image.serveAll(registry, "1.0");
    }

    @AfterEach
    void stop() throws IOException {
        registry.stop();
        if (mirror != null) {
            mirror.close();
        }
    }

    static Stream<Arguments> hostile() {
        String huge = "Bearer " + ",\"\\=".repeat(5000) + " realm";
        return Stream.of(
                // Content-Length OkHttp cannot frame a body with
                hostile("negative Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: -5", "hello",
                        Outcome.PROTOCOL_ERROR, "invalid Content-Length \"-5\""),
                hostile("non-numeric Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: abc", "hello",
                        Outcome.PROTOCOL_ERROR, "invalid Content-Length"),
                hostile("overflowing Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999",
                        "hello", Outcome.PROTOCOL_ERROR, "invalid Content-Length"),
                hostile("Content-Length list", "HTTP/1.1 200 OK\r\nContent-Length: 5, 6", "hello",
                        Outcome.PROTOCOL_ERROR, "invalid Content-Length"),
                hostile("two different Content-Lengths", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6",
                        "hello!", Outcome.PROTOCOL_ERROR, "conflicting Content-Length"),
                hostile("Content-Length not the descriptor's size", "HTTP/1.1 200 OK\r\nContent-Length: 3", "abc",
                        Outcome.PROTOCOL_ERROR, "not JSON"),
                // status and framing
                hostile("garbage status line", "HTTP/1.1 abc OK\r\nContent-Length: 0", "",
                        Outcome.PROTOCOL_ERROR, "status line"),
                hostile("chunk size overflowing a long", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked",
                        "fffffffffffffffffff0\r\nabc\r\n0\r\n\r\n", Outcome.TRUNCATED, "Number too large"),
                hostile("206 with a Content-Range that does not parse",
                        "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes garbage\r\nContent-Length: 7", "garbage",
                        Outcome.PROTOCOL_ERROR, "not JSON"),
                // Retry-After
                hostile("429 with a negative Retry-After", "HTTP/1.1 429 Too Many Requests\r\nRetry-After: -5\r\n"
                        + "Content-Length: 0", "", Outcome.THROTTLED, "Retry-After: -5"),
                hostile("429 with a Retry-After of 3 billion years",
                        "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 99999999999999999\r\nContent-Length: 0", "",
                        Outcome.THROTTLED, "Retry-After"),
                hostile("503 with a Retry-After beyond an int (OkHttp's own parse)",
                        "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 99999999999\r\nContent-Length: 0", "",
                        Outcome.PROTOCOL_ERROR, "malformed response"),
                hostile("408 with a Retry-After beyond an int (OkHttp's own parse)",
                        "HTTP/1.1 408 Request Timeout\r\nRetry-After: 99999999999\r\nContent-Length: 0", "",
                        Outcome.PROTOCOL_ERROR, "malformed response"),
                hostile("429 with a garbage Retry-After", "HTTP/1.1 429 Too Many Requests\r\nRetry-After: soon\r\n"
                        + "Content-Length: 0", "", Outcome.THROTTLED, "Retry-After: soon"),
                // WWW-Authenticate
                hostile("realm that is not http", "HTTP/1.1 401 Unauthorized\r\n"
                        + "WWW-Authenticate: Bearer realm=\"javascript:alert(1)\"\r\nContent-Length: 0", "",
                        Outcome.UNAUTHORIZED, "not an http(s) URL"),
                hostile("realm that does not parse", "HTTP/1.1 401 Unauthorized\r\n"
                        + "WWW-Authenticate: Bearer realm=\"http://[::1\",service=x\r\nContent-Length: 0", "",
                        Outcome.UNAUTHORIZED, "not an http(s) URL"),
                hostile("20 KB of WWW-Authenticate junk", "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: " + huge
                        + "\r\nContent-Length: 0", "", Outcome.UNAUTHORIZED, "without realm"),
                // Location
                hostile("Location that does not parse", "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://[::1\r\n"
                        + "Content-Length: 0", "", Outcome.PROTOCOL_ERROR, "Location"),
                hostile("Location with an impossible port", "HTTP/1.1 307 Temporary Redirect\r\n"
                        + "Location: http://127.0.0.1:99999/x\r\nContent-Length: 0", "", Outcome.PROTOCOL_ERROR,
                        "Location"));
    }

    private static Arguments hostile(String name, String head, String body, Outcome manifestOutcome, String text) {
        return Arguments.of(name, head, body, manifestOutcome, text);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void aMalformedResponseIsAFailureOfThatEndpointAndThePullFailsOver(String name, String head, String body,
                                                                       Outcome manifestOutcome, String text)
            throws IOException {
        mirror = new CannedServer(head, body.getBytes(StandardCharsets.ISO_8859_1));
        String mirrorUrl = "http://127.0.0.1:" + mirror.port() + "/v2";
        var config = new RegistriesConfig(null, Map.of("127.0.0.1:" + registry.port(),
                new Mirror(List.of("http://127.0.0.1:" + mirror.port()), Map.of())), Map.of(), List.of());
        Jpull jpull = Jpull.builder().config(config).store(store).timeouts(FAST).concurrency(1)
                .failoverPolicy(NO_HEDGING).dockerConfig(false).build();

        PullResult result = jpull.pull("127.0.0.1:" + registry.port() + "/" + image.repository() + ":1.0");

        assertThat(result.digest()).isEqualTo(image.manifestDigest());
        assertThat(result.endpoint()).isEqualTo("http://127.0.0.1:" + registry.port() + "/v2");
        assertThat(result.blobs()).allSatisfy(b -> assertThat(b.endpoint()).isNotEqualTo(mirrorUrl));
        assertThat(mirror.requests()).isPositive();
        List<Attempt> mirrorAttempts = result.attempts().stream().filter(a -> a.endpoint().equals(mirrorUrl))
                .toList();
        assertThat(mirrorAttempts).isNotEmpty().allSatisfy(a -> {
            assertThat(a.outcome()).isNotEqualTo(Outcome.OK);
            assertThat(a.error()).isNotBlank().doesNotContain("\n").doesNotContain("\r");
        });
        assertThat(mirrorAttempts.get(0).target()).isEqualTo(Target.manifest("1.0"));
        assertThat(mirrorAttempts.get(0).outcome()).isEqualTo(manifestOutcome);
        assertThat(mirrorAttempts.get(0).error()).contains(text);
        for (int i = 0; i < image.layers().size(); i++) {
            assertThat(store.resolve("blobs/sha256/" + image.layerDigests().get(i).substring(7)))
                    .hasBinaryContent(image.layers().get(i));
        }
    }

    static Stream<Arguments> hostileTokenService() {
        return Stream.of(
                Arguments.of("HTTP/1.1 200 OK\r\nContent-Length: -5", "{\"token\":\"t\"}", "invalid Content-Length"),
                Arguments.of("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 99999999999\r\nContent-Length: 0", "",
                        "malformed response"),
                Arguments.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked", "zz\r\n", "malformed response"),
                Arguments.of("HTTP/1.1 200 OK\r\nContent-Length: 9", "not json!", "not a JSON object"));
    }

    /** The same for the token service a mirror names: its malformed answer fails the mirror over, in one line. */
    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("hostileTokenService")
    void aMalformedTokenServiceResponseFailsTheEndpointOver(String head, String body, String text)
            throws IOException {
        mirror = new CannedServer(head, body.getBytes(StandardCharsets.ISO_8859_1));
        WireMockServer challenging = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        challenging.start();
        try {
            challenging.stubFor(com.github.tomakehurst.wiremock.client.WireMock.any(
                    com.github.tomakehurst.wiremock.client.WireMock.anyUrl()).willReturn(
                    com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(401).withHeader(
                            "WWW-Authenticate", "Bearer realm=\"http://127.0.0.1:" + mirror.port() + "/token\"")));
            String mirrorUrl = "http://127.0.0.1:" + challenging.port() + "/v2";
            var config = new RegistriesConfig(null, Map.of("127.0.0.1:" + registry.port(),
                    new Mirror(List.of("http://127.0.0.1:" + challenging.port()), Map.of())), Map.of(), List.of());

            PullResult result = Jpull.builder().config(config).store(store).timeouts(FAST).concurrency(1)
                    .failoverPolicy(NO_HEDGING).dockerConfig(false).build()
                    .pull("127.0.0.1:" + registry.port() + "/" + image.repository() + ":1.0");

            assertThat(result.digest()).isEqualTo(image.manifestDigest());
            assertThat(result.attempts()).filteredOn(a -> a.endpoint().equals(mirrorUrl)).isNotEmpty()
                    .allSatisfy(a -> {
                        assertThat(a.outcome()).isIn(Outcome.PROTOCOL_ERROR, Outcome.UNAUTHORIZED);
                        assertThat(a.error()).contains("token service").contains(text).doesNotContain("\n");
                    });
        } finally {
            challenging.stop();
        }
    }
}
