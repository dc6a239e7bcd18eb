package dev.jpull.internal.http;

import dev.jpull.ProxyConfig;
import dev.jpull.Timeouts;

import dev.jpull.TlsConfig;
import dev.jpull.Endpoint;
import dev.jpull.internal.resolve.K3sHosts;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * The OkHttp clients jpull talks through. One base client owns the connection pool and dispatcher; clients
 * for endpoints with their own TLS settings are derived from it with {@link OkHttpClient#newBuilder()} (so
 * they share pool and dispatcher) and cached per distinct {@link TlsConfig}. Thread-safe.
 *
 * <p>Requests are sent through {@link Transport}, never through these clients directly.
 *
 * <p>Every client: the {@code User-Agent} {@value #USER_AGENT}; no automatic redirects ({@link Transport}
 * follows them, dropping {@code Authorization} across origins); OkHttp's own recovery stays on, because it only
 * covers what happens before a response exists (a stale pooled connection closed by a proxy or load balancer,
 * another address of the same host) and never
 * retries a timed-out or answered request, so endpoint failover remains the executor's business; connect
 * timeout = {@link Timeouts#connect()} + {@link Timeouts#tls()} (OkHttp counts the handshake in the connect),
 * read and write timeouts = {@link Timeouts#idleRead()}. {@link Timeouts#headers()} is not an OkHttp
 * setting; the caller enforces it.
 *
 * <p>Hostile responses: the outermost interceptor ({@link ResponseGuard}) turns response data OkHttp cannot
 * handle (an impossible {@code Content-Length}, a value its own parsing trips over) into an {@link
 * java.io.IOException} ({@link java.net.ProtocolException}), and abandons a body below the low-speed limit of
 * {@link Timeouts#speedLimit()}/{@link Timeouts#speedTime()} with a {@link java.net.SocketTimeoutException}.
 *
 * <p>Content encoding: left alone, OkHttp would send {@code Accept-Encoding: gzip} and transparently
 * decompress, which yields the right bytes but drops {@code Content-Length} and makes byte counts and Range
 * offsets refer to different things than the wire. So every client sends
 * {@value #IDENTITY} unless the caller set {@code Accept-Encoding} itself; a server that still applies
 * {@code Content-Encoding} is then visible to the caller in the response headers.
 *
 * <p>Proxies: every client uses the {@link ProxyConfig} given at construction (none by default).
 */
public final class HttpClients {
    /** Header name {@code Accept-Encoding}. */
    public static final String ACCEPT_ENCODING = "Accept-Encoding";
    /** The {@code Accept-Encoding} value added to every request that does not set one. */
    public static final String IDENTITY = "identity";
    /** The {@code User-Agent} of every request (pull, token service, diagnose alike). */
    public static final String USER_AGENT = "jpull/0.1";

    /** Plain-http only: building it does not load the platform trust store (which costs ~0.1 s at start-up). */
    private final java.util.function.Supplier<OkHttpClient> build;
    /**
     * Made on first use: OkHttp's first client looks at every installed security provider (~0.03 s of a cold start),
     * which a pull's main thread should not wait for before it has read its configuration and made its plan.
     */
    private volatile OkHttpClient cleartext;
    /** http and https; made on first use from {@link #cleartext()} (same pool and dispatcher). */
    private volatile OkHttpClient base;
    private final Map<TlsConfig, OkHttpClient> byTls = new ConcurrentHashMap<>();
    /** Clients for {@code http://} endpoints with TLS settings: https first, then http ({@link HttpsFirst}). */
    private final Map<TlsConfig, OkHttpClient> httpsFirst = new ConcurrentHashMap<>();
    /** The same for loopback hosts whose only TLS setting is skip-verify: plain http first (see {@link HttpsFirst}). */
    private final Map<TlsConfig, OkHttpClient> plainFirstClients = new ConcurrentHashMap<>();
    /** {@code host:port}s that answered a TLS handshake in plain text: http only from then on. */
    private final java.util.Set<String> plainOnly = ConcurrentHashMap.newKeySet();
    /** Set by {@link #cancelAll}: every request fails from then on. */
    private final java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();

    /** Clients that connect directly, without any proxy. */
    public HttpClients(Timeouts timeouts) {
        this(timeouts, ProxyConfig.NONE);
    }

    /** Clients that go through the proxies of {@code proxies} (for registries, redirects and token realms). */
    public HttpClients(Timeouts timeouts, ProxyConfig proxies) {
        this(timeouts, proxies, null);
    }

    /**
     * As {@link #HttpClients(Timeouts, ProxyConfig)}, and when {@code trace} is not null every request and
     * response on the wire (including redirects, token requests and proxy authentication) is described to it,
     * headers only and with secrets redacted (see {@link HttpTrace}).
     */
    public HttpClients(Timeouts timeouts, ProxyConfig proxies, Consumer<String> trace) {
        this.build = () -> cleartextClient(timeouts, proxies, trace, cancelled);
    }

    /**
     * Cancels every request in flight on these clients (all share one dispatcher), and fails every later one with
     * an {@link java.io.InterruptedIOException}: for a pull that must stop ({@code Jpull.cancel}).
     */
    public void cancelAll() {
        cancelled.set(true);
        OkHttpClient c;
        synchronized (this) {
            c = cleartext;
        }
        if (c != null) {
            c.dispatcher().cancelAll();
        }
    }

    private static OkHttpClient cleartextClient(Timeouts timeouts, ProxyConfig proxies, Consumer<String> trace,
                                                java.util.concurrent.atomic.AtomicBoolean cancelled) {
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .connectionSpecs(List.of(ConnectionSpec.CLEARTEXT))
                .proxySelector(proxies.selector())
                .proxyAuthenticator(ProxyAuthenticator.of(proxies))
                .followRedirects(false)
                .followSslRedirects(false)
                .retryOnConnectionFailure(true)
                .connectTimeout(timeouts.connect().plus(timeouts.tls()))
                .readTimeout(timeouts.idleRead())
                .writeTimeout(timeouts.idleRead())
                .addInterceptor(chain -> {
                    if (cancelled.get()) {
                        throw new java.io.InterruptedIOException("cancelled");
                    }
                    return chain.proceed(chain.request());
                })
                .addInterceptor(new ResponseGuard(timeouts))
                .addInterceptor(chain -> {
                    Request request = chain.request();
                    if (request.header(ACCEPT_ENCODING) == null || request.header("User-Agent") == null) {
                        Request.Builder b = request.newBuilder();
                        if (request.header("User-Agent") == null) {
                            b.header("User-Agent", USER_AGENT);
                        }
                        if (request.header(ACCEPT_ENCODING) == null) {
                            b.header(ACCEPT_ENCODING, IDENTITY);
                        }
                        request = b.build();
                    }
                    return chain.proceed(request);
                });
        if (trace != null) {
            builder.addNetworkInterceptor(new HttpTrace(trace));
        }
        return builder.build();
    }

    private OkHttpClient cleartext() {
        OkHttpClient c = cleartext;
        if (c == null) {
            synchronized (this) {
                c = cleartext;
                if (c == null) {
                    c = build.get();
                    cleartext = c;
                }
            }
        }
        return c;
    }

    /**
     * The client for requests to {@code ep}: the plain client unless {@code ep.config().tls()} sets
     * something, else one with that CA, client certificate or skip-verify; for an {@code http://} endpoint with
     * TLS settings on a port other than 80, one that tries https first and falls back to http, as containerd
     * does ({@link HttpsFirst}).
     *
     * @throws dev.jpull.ConfigException if the TLS files are unusable (message names the config host or file)
     */
    public OkHttpClient forEndpoint(Endpoint ep) {
        TlsConfig tls = ep.config() == null ? null : ep.config().tls();
        if (tls == null || !tls.isSet()) {
            return "http".equals(ep.scheme()) ? cleartext() : plain();
        }
        String configHost = ep.configKey() != null ? ep.configKey() : ep.host();
        if ("http".equals(ep.scheme())) { // HttpsFirst leaves port 80 alone
            OkHttpClient tlsClient = forTls(tls, configHost);
            boolean plainFirst = plainFirst(ep);
            return (plainFirst ? plainFirstClients : httpsFirst).computeIfAbsent(tls, t -> tlsClient.newBuilder()
                    .addInterceptor(new HttpsFirst(plainOnly, plainFirst)).build());
        }
        return forTls(tls, configHost);
    }

    /**
     * Whether the https-first endpoint {@code ep} is asked over plain http first ({@link HttpsFirst}): a loopback
     * host whose only TLS setting is skip-verify (containerd's localhost default), for which a TLS attempt
     * authenticates nothing.
     */
    static boolean plainFirst(Endpoint ep) {
        TlsConfig tls = ep.config() == null ? null : ep.config().tls();
        return tls != null && tls.insecureSkipVerify() && tls.caFile() == null && tls.certFile() == null
                && tls.keyFile() == null && K3sHosts.isLoopbackHostPort(ep.host());
    }

    private OkHttpClient forTls(TlsConfig tls, String configHost) {
        return byTls.computeIfAbsent(tls, t -> {
            TlsFactory.Tls material = TlsFactory.create(t, configHost);
            // from the cleartext client, not plain(): building plain() loads the platform trust store (~0.1 s),
            // which a skip-verify or own-CA client does not need (its trust manager is set right here)
            OkHttpClient.Builder b = cleartext().newBuilder()
                    .connectionSpecs(List.of(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT))
                    .sslSocketFactory(material.socketFactory(), material.trustManager());
            if (material.hostnameVerifier() != null) {
                b.hostnameVerifier(material.hostnameVerifier());
            }
            return b.build();
        });
    }

    /** Client without custom TLS, for redirect targets on other hosts and token realms on other hosts. */
    public OkHttpClient plain() {
        OkHttpClient b = base;
        if (b == null) {
            synchronized (this) {
                b = base;
                if (b == null) {
                    b = cleartext().newBuilder()
                            .connectionSpecs(List.of(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT))
                            .build();
                    base = b;
                }
            }
        }
        return b;
    }
}
