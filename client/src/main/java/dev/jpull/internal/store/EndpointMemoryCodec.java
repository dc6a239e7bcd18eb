package dev.jpull.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpull.Outcome;
import dev.jpull.internal.oci.JsonTrees;
import dev.jpull.internal.registry.EndpointStats;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The JSON of the endpoint memory file ({@link EndpointMemoryFile}), read as hostile input: every entry is checked
 * (a known outcome, sane numbers, an http(s) base URL of bounded length without credentials, a time neither
 * expired nor in the future) and dropped when it is not fine; at most {@link #MAX_ENTRIES} entries, the newest.
 *
 * <pre>{"version": 1, "endpoints": [{"baseUrl": "https://mirror.example/v2", "outcome": "timeout",
 *   "atMillis": 1764637000000, "rttMillis": 41, "bytesPerSecond": 11900000}]}</pre>
 */
final class EndpointMemoryCodec {
    static final int VERSION = 1;
    static final int MAX_ENTRIES = 256;
    static final int MAX_URL_LENGTH = 2048;
    /** How far in the future a time may be (clocks of processes sharing a store over a network file system). */
    static final long SKEW_MILLIS = 10_000;
    static final long MAX_RTT_MILLIS = 24L * 3600 * 1000;
    static final long MAX_BYTES_PER_SECOND = 1L << 40;

    /** scheme, an authority without user info, an optional path; no query, fragment, white space or controls. */
    private static final Pattern URL = Pattern.compile("https?://[^/@?#\\s\\p{Cc}\\p{Z}]+(/[^?#\\s\\p{Cc}\\p{Z}]*)?");

    /** The newer of two entries for one endpoint; ties broken on every field, so merging is order-independent. */
    static final Comparator<EndpointStats> NEWER = Comparator.comparingLong(EndpointStats::atMillis)
            .thenComparing(EndpointStats::outcome)
            .thenComparingLong(EndpointStats::rttMillis)
            .thenComparingLong(EndpointStats::bytesPerSecond);

    private EndpointMemoryCodec() {
    }

    /** Thrown for a file that is not the memory's JSON at all. */
    static final class Corrupt extends Exception {
        Corrupt(String message) {
            super(message);
        }
    }

    /**
     * What a file held.
     *
     * @param entries the usable entries, by base URL
     * @param dropped how many entries were expired, invalid or over the limit (the file is then rewritten)
     */
    record Parsed(Map<String, EndpointStats> entries, int dropped) {
    }

    /** Null when {@code s} may be stored and used at {@code now}, else why not. */
    static String problem(EndpointStats s, long now, long ttlMillis) {
        String url = s.baseUrl();
        if (url.length() > MAX_URL_LENGTH || !URL.matcher(url).matches()) {
            return "not an http(s) base URL without credentials";
        }
        if (s.atMillis() > now + SKEW_MILLIS) {
            return "in the future";
        }
        if (s.atMillis() < now - ttlMillis) {
            return "expired";
        }
        if (s.rttMillis() < -1 || s.rttMillis() > MAX_RTT_MILLIS
                || s.bytesPerSecond() < -1 || s.bytesPerSecond() > MAX_BYTES_PER_SECOND) {
            return "numbers out of range";
        }
        return null;
    }

    /** {@code seen} merged into {@code into}: per endpoint the {@linkplain #NEWER newer} entry. */
    static Map<String, EndpointStats> merge(Map<String, EndpointStats> into, Collection<EndpointStats> seen) {
        Map<String, EndpointStats> merged = new HashMap<>(into);
        for (EndpointStats s : seen) {
            merged.merge(s.baseUrl(), s, (a, b) -> NEWER.compare(a, b) >= 0 ? a : b);
        }
        return merged;
    }

    /** The newest {@link #MAX_ENTRIES} of {@code entries}, newest first (the file's order). */
    static Map<String, EndpointStats> newest(Map<String, EndpointStats> entries) {
        Map<String, EndpointStats> kept = new LinkedHashMap<>();
        entries.values().stream().sorted(NEWER.reversed().thenComparing(EndpointStats::baseUrl))
                .limit(MAX_ENTRIES).forEach(s -> kept.put(s.baseUrl(), s));
        return kept;
    }

    static Parsed parse(byte[] bytes, long now, long ttlMillis) throws Corrupt {
        JsonNode root;
        try {
            root = JsonTrees.read(bytes);
        } catch (java.io.IOException e) {
            throw new Corrupt("not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new Corrupt("not a JSON object");
        }
        JsonNode version = root.get("version");
        if (version == null || !version.isIntegralNumber() || version.asLong() != VERSION) {
            throw new Corrupt("not version " + VERSION + " of the endpoint memory");
        }
        JsonNode list = root.get("endpoints");
        if (list == null || !list.isArray()) {
            throw new Corrupt("no \"endpoints\" list");
        }
        Map<String, EndpointStats> entries = new HashMap<>();
        int dropped = 0;
        for (JsonNode n : list) {
            EndpointStats s = entry(n);
            if (s == null || problem(s, now, ttlMillis) != null || entries.containsKey(s.baseUrl())) {
                dropped++;
                continue;
            }
            entries.put(s.baseUrl(), s);
        }
        Map<String, EndpointStats> kept = newest(entries);
        return new Parsed(kept, dropped + entries.size() - kept.size());
    }

    /** The entry {@code n} describes, or null when it is malformed. */
    private static EndpointStats entry(JsonNode n) {
        if (!n.isObject()) {
            return null;
        }
        JsonNode url = n.get("baseUrl");
        JsonNode outcome = n.get("outcome");
        Long at = number(n.get("atMillis"));
        Long rtt = number(n.get("rttMillis"));
        Long bps = number(n.get("bytesPerSecond"));
        Outcome o = outcome != null && outcome.isTextual() ? outcome(outcome.textValue()) : null;
        if (url == null || !url.isTextual() || o == null || at == null || rtt == null || bps == null) {
            return null;
        }
        return new EndpointStats(url.textValue(), o, at, rtt, bps);
    }

    private static Long number(JsonNode n) {
        return n != null && n.isIntegralNumber() && n.canConvertToLong() ? n.longValue() : null;
    }

    private static Outcome outcome(String label) {
        for (Outcome o : Outcome.values()) {
            if (o.label().equals(label)) {
                return o;
            }
        }
        return null;
    }

    static byte[] write(Collection<EndpointStats> entries) {
        ObjectNode root = JsonTrees.object();
        root.put("version", VERSION);
        ArrayNode list = root.putArray("endpoints");
        for (EndpointStats s : entries) {
            list.addObject().put("baseUrl", s.baseUrl()).put("outcome", s.outcome().label())
                    .put("atMillis", s.atMillis()).put("rttMillis", s.rttMillis())
                    .put("bytesPerSecond", s.bytesPerSecond());
        }
        return (JsonTrees.pretty(root) + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
