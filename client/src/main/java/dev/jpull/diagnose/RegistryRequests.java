package dev.jpull.diagnose;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jpull.http.Timeouts;
import dev.jpull.oci.Json;
import dev.jpull.oci.MediaTypes;
import dev.jpull.resolve.Endpoint;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * The HTTP requests of a probe: the API root ping (and, when it does not answer as a registry, the likely right
 * roots) and the manifest HEAD. Redirects are followed (OkHttp drops {@code Authorization} across hosts); every
 * call is bounded by connect + TLS + header timeouts.
 */
final class RegistryRequests {
    static final String USER_AGENT = "jpull/0.1 (diagnose)";
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final OkHttpClient client;

    RegistryRequests(OkHttpClient endpointClient, Timeouts timeouts) {
        this.client = endpointClient.newBuilder()
                .followRedirects(true)
                .followSslRedirects(true)
                .callTimeout(callTimeout(timeouts))
                .build();
    }

    /** The ping and the {@code WWW-Authenticate} values of its answer. */
    record Ping(PingResult result, List<String> challenges) {
    }

    /** The manifest HEAD and the {@code WWW-Authenticate} values of its answer. */
    record Head(ManifestResult result, List<String> challenges) {
    }

    /** One answer: status 0 and an error when there was none. */
    private record Answer(int status, String apiVersion, String digest, String contentType,
                          List<String> challenges, byte[] body, long ms, String error) {
    }

    /** {@code GET <apiRoot>/}; when that is not a registry answer, looks for the root that is one. */
    Ping ping(Endpoint ep) {
        String origin = ep.scheme() + "://" + ep.host();
        String url = origin + ep.apiRoot() + "/";
        Answer a = send(url, "GET", null, false);
        String registryRoot = null;
        if (a.status() > 0 && a.status() != 200 && a.status() != 401 && !ep.apiRoot().equals("/v2")) {
            List<String> candidates = new ArrayList<>();
            if (!ep.apiRoot().endsWith("/v2")) {
                candidates.add(origin + ep.apiRoot() + "/v2/");
            }
            candidates.add(origin + "/v2/");
            for (String candidate : candidates) {
                int status = send(candidate, "GET", null, false).status();
                if (status == 200 || status == 401) {
                    registryRoot = candidate;
                    break;
                }
            }
        }
        return new Ping(new PingResult(url, a.status(), a.apiVersion(), a.ms(), a.error(), registryRoot),
                a.challenges());
    }

    /** {@code HEAD} of the manifest; for a failure, a {@code GET} to read the registry's error code. */
    Head headManifest(Endpoint ep, String reference, String authorization) {
        String url = ep.url("manifests", reference);
        Answer a = send(url, "HEAD", authorization, false);
        String code = null;
        String message = a.error();
        if (a.status() >= 300) {
            Answer g = send(url, "GET", authorization, true);
            JsonNode first = firstError(g.body());
            if (first != null) {
                code = text(first, "code");
                message = text(first, "message");
            } else {
                message = "HTTP " + a.status();
            }
        }
        boolean ok = a.status() >= 200 && a.status() < 300;
        return new Head(new ManifestResult(url, a.status(), ok ? a.digest() : null, ok ? a.contentType() : null,
                code, message, a.ms()), a.challenges());
    }

    private Answer send(String url, String method, String authorization, boolean readBody) {
        Request.Builder rb = new Request.Builder().url(url).method(method, null)
                .header("User-Agent", USER_AGENT)
                .header("Accept", String.join(", ", MediaTypes.MANIFEST_ACCEPT));
        if (authorization != null) {
            rb.header("Authorization", authorization);
        }
        long start = System.nanoTime();
        try (Response r = client.newCall(rb.build()).execute()) {
            long ms = Diagnoser.millisSince(start);
            byte[] body = readBody ? readAtMost(r.body().source()) : new byte[0];
            return new Answer(r.code(), r.header("Docker-Distribution-API-Version"),
                    r.header("Docker-Content-Digest"), r.header("Content-Type"), r.headers("WWW-Authenticate"),
                    body, ms, null);
        } catch (IOException | IllegalArgumentException e) {
            return new Answer(0, null, null, null, List.of(), new byte[0], Diagnoser.millisSince(start),
                    Diagnoser.describe(e));
        }
    }

    private static byte[] readAtMost(BufferedSource source) throws IOException {
        source.request(MAX_ERROR_BODY);
        return source.getBuffer().readByteArray(Math.min(source.getBuffer().size(), MAX_ERROR_BODY));
    }

    private static JsonNode firstError(byte[] body) {
        try {
            JsonNode errors = Json.MAPPER.readTree(body).path("errors");
            return errors.isArray() && errors.size() > 0 && errors.get(0).isObject() ? errors.get(0) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }

    private static Duration callTimeout(Timeouts t) {
        if (t.connect().isZero() || t.tls().isZero() || t.headers().isZero()) {
            return Duration.ZERO; // one of them unlimited: so is the call
        }
        return t.connect().plus(t.tls()).plus(t.headers());
    }
}
