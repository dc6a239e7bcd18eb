package dev.jpull.internal.diagnose;

import dev.jpull.ManifestResult;
import dev.jpull.PingResult;

import dev.jpull.internal.http.Bodies;
import dev.jpull.internal.http.Deadline;
import dev.jpull.internal.http.ErrorBody;
import dev.jpull.Timeouts;
import dev.jpull.internal.http.Transport;
import dev.jpull.internal.oci.MediaTypes;
import dev.jpull.Endpoint;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The HTTP requests of a probe: the API root ping (and, when it does not answer as a registry, the likely right
 * roots) and the manifest HEAD. They go through the registry {@link Transport} that {@code pull} uses: the same
 * user agent, redirect policy ({@code Authorization} only to the endpoint's origin, at most
 * {@value Transport#MAX_REDIRECTS} hops), response guard and error-body parser ({@link ErrorBody}), so diagnose
 * and pull answer alike. Every request (with its redirects) is bounded by connect + TLS + header timeouts.
 */
final class RegistryRequests {
    private final Transport transport;
    private final Endpoint endpoint;
    private final Duration limit;

    RegistryRequests(Transport transport, Endpoint endpoint, Timeouts timeouts) {
        this.transport = transport;
        this.endpoint = endpoint;
        this.limit = callTimeout(timeouts);
    }

    /** The ping and the {@code WWW-Authenticate} values of its answer. */
    record Ping(PingResult result, List<String> challenges) {
    }

    /** The manifest HEAD and the {@code WWW-Authenticate} values of its answer (none from a redirect target). */
    record Head(ManifestResult result, List<String> challenges) {
    }

    /** One answer: status 0 and an error when there was none. */
    private record Answer(int status, String apiVersion, String digest, String contentType,
                          List<String> challenges, byte[] body, long ms, String error) {
    }

    /** {@code GET <apiRoot>/}; when that is not a registry answer, looks for the root that is one. */
    Ping ping() {
        Endpoint ep = endpoint;
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
    Head headManifest(String reference, String authorization) {
        String url = endpoint.url("manifests", reference);
        Answer a = send(url, "HEAD", authorization, false);
        String code = null;
        String message = a.error();
        if (a.status() >= 300) {
            Answer g = send(url, "GET", authorization, true);
            ErrorBody.Entry first = ErrorBody.first(g.body());
            if (first != null) {
                code = first.code();
                message = first.message();
            } else {
                message = "HTTP " + a.status();
            }
        }
        boolean ok = a.status() >= 200 && a.status() < 300;
        return new Head(new ManifestResult(url, a.status(), ok ? a.digest() : null, ok ? a.contentType() : null,
                code, message, a.ms()), a.challenges());
    }

    private Answer send(String url, String method, String authorization, boolean readBody) {
        long start = System.nanoTime();
        Request.Builder rb;
        try {
            rb = new Request.Builder().url(url).method(method, null)
                    .header("Accept", MediaTypes.MANIFEST_ACCEPT_HEADER);
        } catch (IllegalArgumentException e) {
            return failed(start, Diagnoser.describe(e));
        }
        if (authorization != null) {
            rb.header("Authorization", authorization);
        }
        try (Response r = transport.send(endpoint, rb.build(), Deadline.after(limit))) {
            long ms = Diagnoser.millisSince(start);
            byte[] body = readBody ? Bodies.readAtMost(r.body().byteStream(), Bodies.MAX_SMALL_BODY) : new byte[0];
            // a redirect target's challenge is not the endpoint's: it is never answered with the endpoint's credentials
            List<String> challenges = Transport.redirected(r) ? List.of() : r.headers("WWW-Authenticate");
            return new Answer(r.code(), r.header("Docker-Distribution-API-Version"),
                    r.header("Docker-Content-Digest"), r.header("Content-Type"), challenges, body, ms, null);
        } catch (Transport.RedirectException e) {
            return failed(start, e.getMessage());
        } catch (Transport.DeadlineException e) {
            return failed(start, "timeout: " + e.getMessage());
        } catch (IOException | IllegalArgumentException e) {
            return failed(start, Diagnoser.describe(e));
        }
    }

    private static Answer failed(long start, String error) {
        return new Answer(0, null, null, null, List.of(), new byte[0], Diagnoser.millisSince(start), error);
    }

    private static Duration callTimeout(Timeouts t) {
        if (t.connect().isZero() || t.tls().isZero() || t.headers().isZero()) {
            return Duration.ZERO; // one of them unlimited: so is the call
        }
        return t.connect().plus(t.tls()).plus(t.headers());
    }
}
