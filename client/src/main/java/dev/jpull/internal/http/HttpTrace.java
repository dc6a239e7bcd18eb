package dev.jpull.internal.http;

import dev.jpull.Printable;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * An OkHttp network interceptor that describes every request and response, headers only, curl style:
 * <pre>
 * &gt; GET http://127.0.0.1:5000/v2/library/alpine/manifests/3.20
 * &gt; Authorization: Basic &lt;redacted&gt;
 * &lt; 200 OK (12 ms)
 * &lt; Content-Type: application/vnd.oci.image.index.v1+json
 * </pre>
 * Bodies are never shown (token responses carry secrets). Secrets in headers are redacted: the values of
 * {@code Authorization} and {@code Proxy-Authorization} (their scheme is kept), {@code Cookie} and
 * {@code Set-Cookie}; in URLs (the request line and {@code Location}), user info and the values of query
 * parameters other than the harmless ones of the token protocol ({@code scope}, {@code service},
 * {@code account}) and the registry API ({@code n}, {@code last}, {@code ns}) — pre-signed blob URLs carry
 * signatures and tokens there. Each request and each response is passed to the sink as one block of lines
 * (separated by {@code \n}, no trailing newline), so that concurrent requests do not interleave line by line.
 * Control characters in what the server sent (status message, header names and values, exception text) are
 * escaped ({@link Printable}): a response cannot forge trace lines or send terminal escape sequences.
 * Thread-safe if the sink is.
 */
public final class HttpTrace implements Interceptor {
    /** What redacted values are replaced with. */
    public static final String REDACTED = "<redacted>";
    private static final Set<String> SECRET_HEADERS = Set.of("authorization", "proxy-authorization", "cookie",
            "set-cookie");
    private static final Set<String> SCHEME_HEADERS = Set.of("authorization", "proxy-authorization");
    private static final Set<String> PLAIN_QUERY = Set.of("scope", "service", "account", "n", "last", "ns");

    private final Consumer<String> sink;

    /** @param sink receives one block of lines per request and per response */
    public HttpTrace(Consumer<String> sink) {
        this.sink = sink;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        StringBuilder req = new StringBuilder("> ").append(request.method()).append(' ')
                .append(redact(request.url()));
        headers(req, "> ", request.headers());
        sink.accept(req.toString());
        long start = System.nanoTime();
        Response response;
        try {
            response = chain.proceed(request);
        } catch (IOException e) {
            sink.accept("< failed after " + elapsedMs(start) + " ms: " + Printable.escape(String.valueOf(e)));
            throw e;
        }
        StringBuilder res = new StringBuilder("< ").append(response.code());
        if (!response.message().isEmpty()) {
            res.append(' ').append(Printable.escape(response.message()));
        }
        res.append(" (").append(elapsedMs(start)).append(" ms) ").append(request.method()).append(' ')
                .append(redact(request.url()));
        headers(res, "< ", response.headers());
        sink.accept(res.toString());
        return response;
    }

    private static long elapsedMs(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static void headers(StringBuilder sb, String prefix, Headers headers) {
        for (int i = 0; i < headers.size(); i++) {
            sb.append('\n').append(prefix).append(Printable.escape(headers.name(i))).append(": ")
                    .append(Printable.escape(redactHeader(headers.name(i), headers.value(i))));
        }
    }

    /** The value of header {@code name} as it may be shown. */
    static String redactHeader(String name, String value) {
        String n = name.toLowerCase(Locale.ROOT);
        if (SECRET_HEADERS.contains(n)) {
            if (SCHEME_HEADERS.contains(n)) {
                int space = value.indexOf(' ');
                return space > 0 ? value.substring(0, space) + " " + REDACTED : REDACTED;
            }
            return REDACTED;
        }
        if (n.equals("location")) {
            HttpUrl url = HttpUrl.parse(value);
            return url == null ? value.replaceAll("\\?.*", "?" + REDACTED) : redact(url);
        }
        return value;
    }

    /** {@code url} without user info and with the values of non-plain query parameters redacted. */
    static String redact(HttpUrl url) {
        HttpUrl.Builder b = url.newBuilder();
        if (!url.username().isEmpty() || !url.password().isEmpty()) {
            b.username(REDACTED).password("");
        }
        String query = url.encodedQuery();
        if (query != null) {
            StringBuilder q = new StringBuilder();
            for (String part : query.split("&", -1)) {
                int eq = part.indexOf('=');
                String name = eq < 0 ? part : part.substring(0, eq);
                boolean plain = eq < 0 || PLAIN_QUERY.contains(name.toLowerCase(Locale.ROOT));
                q.append(q.length() == 0 ? "" : "&").append(plain ? part : name + "=" + REDACTED);
            }
            b.encodedQuery(q.toString());
        }
        return b.build().toString().replace("%3Credacted%3E", REDACTED);
    }
}
