package dev.jpull.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpull.cli.CliRun;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The endpoint memory on the command line: on by default at {@code STORE/state/endpoints.json}, {@code --no-memory}
 * (neither read nor written), {@code --memory-ttl}, and {@code jpull resolve} showing what is remembered.
 */
class EndpointMemoryCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path file() {
        return tmp.resolve("store").resolve("state").resolve("endpoints.json");
    }

    private CliRun jpull(String... args) {
        return CliRun.run(tmp, args);
    }

    /** Seeds the memory with {@code entries} of {@code {url, outcome, age in ms}}. */
    private String seed(Object[]... entries) throws Exception {
        long now = System.currentTimeMillis();
        List<String> list = new ArrayList<>();
        for (Object[] e : entries) {
            list.add("{\"baseUrl\":\"" + e[0] + "\",\"outcome\":\"" + e[1] + "\",\"atMillis\":" + (now - (long) e[2])
                    + ",\"rttMillis\":41,\"bytesPerSecond\":11900000}");
        }
        String json = "{\"version\":1,\"endpoints\":[" + String.join(",", list) + "]}";
        Files.createDirectories(file().getParent());
        Files.writeString(file(), json);
        return json;
    }

    /** A loopback port nothing listens on (an endpoint that refuses at once). */
    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void resolveShowsWhatIsRememberedPerEndpoint() throws Exception {
        int port = closedPort();
        String url = "http://127.0.0.1:" + port + "/v2";
        String https = "https://127.0.0.1:" + port + "/v2";
        seed(new Object[] {url, "timeout", 125_000L}, new Object[] {https, "ok", 7_000L},
                new Object[] {"https://elsewhere.test/v2", "refused", 1_000L});
        String image = "127.0.0.1:" + port + "/team/app:1";

        CliRun text = jpull("resolve", image);

        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.err()).isEmpty();
        String header = text.out().lines().findFirst().orElseThrow();
        assertThat(header).endsWith("REMEMBERED");
        List<String> rows = text.out().lines().skip(1).toList();
        assertThat(rows).isNotEmpty();
        assertThat(String.join("\n", rows)).doesNotContain("elsewhere");
        for (String row : rows) {
            if (row.contains(" " + url + " ")) {
                assertThat(row).endsWith("timeout 2m ago, rtt 41 ms, 11.9MB/s");
            } else if (row.contains(" " + https + " ")) {
                assertThat(row).endsWith("ok 7s ago, rtt 41 ms, 11.9MB/s");
            }
        }
        assertThat(text.out()).contains("timeout 2m ago");

        CliRun json = jpull("resolve", "-o", "json", image);

        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode endpoints = JSON.readTree(json.out()).get("endpoints");
        boolean seen = false;
        for (JsonNode e : endpoints) {
            List<String> names = new ArrayList<>();
            e.fieldNames().forEachRemaining(names::add);
            assertThat(names).as("added last").last().isEqualTo("remembered");
            if (e.get("url").asText().equals(url)) {
                JsonNode r = e.get("remembered");
                assertThat(r.get("outcome").asText()).isEqualTo("timeout");
                assertThat(r.get("healthy").asBoolean()).isFalse();
                assertThat(r.get("ageMs").asLong()).isBetween(125_000L, 600_000L);
                assertThat(r.get("rttMs").asLong()).isEqualTo(41);
                assertThat(r.get("bytesPerSecond").asLong()).isEqualTo(11_900_000);
                assertThat(r.get("at").asText()).endsWith("Z");
                seen = true;
            }
        }
        assertThat(seen).as(json.out()).isTrue();
    }

    @Test
    void noMemoryAndAShorterTtlHideTheRememberedState() throws Exception {
        int port = closedPort();
        seed(new Object[] {"http://127.0.0.1:" + port + "/v2", "timeout", 125_000L},
                new Object[] {"https://127.0.0.1:" + port + "/v2", "timeout", 125_000L});
        String image = "127.0.0.1:" + port + "/team/app:1";
        assertThat(jpull("resolve", image).out()).contains("REMEMBERED");

        assertThat(jpull("resolve", "--no-memory", image).out()).doesNotContain("REMEMBERED", "timeout");
        assertThat(jpull("resolve", "--memory-ttl", "2m", image).out()).doesNotContain("REMEMBERED");
        assertThat(jpull("resolve", "--memory-ttl=3m", image).out()).contains("REMEMBERED");
        JsonNode first = JSON.readTree(jpull("resolve", "--no-memory", "-o", "json", image).out())
                .get("endpoints").get(0);
        assertThat(first.get("remembered").isNull()).isTrue();
    }

    @Test
    void aPullSavesIntoTheStoresMemoryAndNotWithNoMemory() throws Exception {
        int port = closedPort();
        String image = "127.0.0.1:" + port + "/team/app:1";
        String seeded = seed(new Object[] {"https://expired.test/v2", "timeout", 3_600_000L},
                new Object[] {"https://kept.test/v2", "ok", 1_000L});

        CliRun ignored = jpull("pull", "--no-memory", image);

        assertThat(ignored.exitCode()).as(ignored.err()).isEqualTo(1);
        assertThat(Files.readString(file())).as("neither read nor written").isEqualTo(seeded);

        CliRun used = jpull("pull", image);

        assertThat(used.exitCode()).as(used.err()).isEqualTo(1);
        assertThat(Files.readString(file())).as("rewritten without the expired entry")
                .contains("kept.test").doesNotContain("expired.test");
    }

    @Test
    void noMemoryCreatesNothing() throws Exception {
        CliRun r = jpull("pull", "--no-memory", "127.0.0.1:" + closedPort() + "/team/app:1");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(file().getParent()).doesNotExist();
        assertThat(jpull("resolve", "--no-memory", "alpine").exitCode()).isZero();
        assertThat(jpull("resolve", "alpine").exitCode()).as("resolve only reads").isZero();
        assertThat(file().getParent()).doesNotExist();
    }

    @Test
    void aBadMemoryTtlIsAUsageErrorOnOneLine() {
        for (String bad : List.of("5x", "1.5m", "-1m", "")) {
            CliRun r = jpull("pull", "--memory-ttl", bad, "alpine");

            assertThat(r.exitCode()).as(bad + ": " + r.err()).isEqualTo(2);
            // the one-line error, then picocli's usual hint, as for every option
            assertThat(r.errLines()).as(r.err()).hasSizeBetween(1, 2);
            assertThat(r.errLines()[0]).startsWith("jpull: ").contains("--memory-ttl");
            assertThat(r.errLines()[r.errLines().length - 1]).startsWith("Try 'jpull pull --help'");
        }
        CliRun zero = jpull("pull", "--memory-ttl", "0", "127.0.0.1:1/team/app:1");
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.errLines()).containsExactly("jpull: invalid --memory-ttl 0: must be more than 0 "
                + "(--no-memory turns the memory off)");
        CliRun resolve = jpull("resolve", "--memory-ttl=0", "alpine");
        assertThat(resolve.exitCode()).isEqualTo(2);
        assertThat(resolve.errLines()).containsExactly("jpull: invalid --memory-ttl 0: must be more than 0 "
                + "(--no-memory turns the memory off)");
        assertThat(file().getParent()).doesNotExist();
    }

    @Test
    void aCorruptMemoryIsOneWarningOfResolve() throws Exception {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "not json");

        CliRun r = jpull("resolve", "alpine");

        assertThat(r.exitCode()).isZero();
        assertThat(r.errLines()).containsExactly("jpull: warning: endpoint memory " + file()
                + " ignored: not valid JSON (it is replaced after the next pull)");
    }
}
