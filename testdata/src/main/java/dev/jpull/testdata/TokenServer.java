package dev.jpull.testdata;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Docker/OCI distribution token service (the "realm") on 127.0.0.1 with a free port.
 *
 * <p>{@code GET /token?service=..&scope=..} (scope may repeat) and the OAuth2 form
 * {@code POST /token} ({@code grant_type=password} or {@code grant_type=refresh_token} with
 * {@link #REFRESH_TOKEN}; POST scopes are space separated). Rules:
 * <ul>
 *   <li>Basic auth {@link #USERNAME}/{@link #PASSWORD}: every requested action is granted.</li>
 *   <li>Wrong credentials (or a wrong refresh token): 401.</li>
 *   <li>Anonymous GET: 200 with a token granting nothing, except {@code pull} on the repositories passed
 *       as public to {@link #start(Certs, Set)}. The registry then answers 401 to the real request, like
 *       Harbor for a private project.</li>
 *   <li>A {@code service} parameter other than {@link #SERVICE}: 400.</li>
 * </ul>
 * Tokens are RS256 JWTs whose header carries {@code x5c} = the self-signed {@link Certs#tokenCert()},
 * which the registry trusts via {@code auth.token.rootcertbundle}. Every request is recorded
 * ({@link #requests()}); passwords and tokens are never recorded.
 */
public final class TokenServer implements AutoCloseable {

    /** The registry's service name (token audience). */
    public static final String SERVICE = "jpull-test-registry";
    /** Token issuer. */
    public static final String ISSUER = "jpull-test-token-issuer";
    /** Accepted user. */
    public static final String USERNAME = "admin";
    /** Accepted password. */
    public static final String PASSWORD = "Harbor12345";
    /** The only refresh token accepted by {@code grant_type=refresh_token}. */
    public static final String REFRESH_TOKEN = "jpull-test-refresh-token";
    /** Token lifetime in seconds. */
    public static final int EXPIRES_IN = 300;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One request to the token endpoint.
     *
     * @param method     GET or POST
     * @param grantType  POST grant_type, null for GET
     * @param service    service parameter (null when absent)
     * @param scopes     requested scopes
     * @param user       authenticated user, null when anonymous or rejected
     * @param status     HTTP status answered
     */
    public record TokenRequest(String method, String grantType, String service, List<String> scopes,
                               String user, int status) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final PrivateKey signingKey;
    private final String x5c;
    private final Set<String> publicRepositories;
    private final List<TokenRequest> requests = new CopyOnWriteArrayList<>();

    private TokenServer(Certs certs, Set<String> publicRepositories) throws IOException {
        this.signingKey = Pem.pkcs8PrivateKey(certs.tokenKey());
        X509Certificate cert = Pem.certificates(certs.tokenCert()).get(0);
        try {
            this.x5c = Base64.getEncoder().encodeToString(cert.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        this.publicRepositories = Set.copyOf(publicRepositories);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "jpull-token-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/token", this::handle);
        startAsDaemon(server);
    }

    /** HttpServer's dispatcher thread inherits daemon status from the starting thread; never block JVM exit. */
    private static void startAsDaemon(HttpServer server) {
        Thread starter = new Thread(server::start, "jpull-token-server-start");
        starter.setDaemon(true);
        starter.start();
        try {
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting token server", e);
        }
    }

    /** Starts a token server with no public repositories. */
    public static TokenServer start(Certs certs) {
        return start(certs, Set.of());
    }

    /** Starts a token server; anonymous callers may pull the given repositories. */
    public static TokenServer start(Certs certs, Set<String> publicRepositories) {
        try {
            return new TokenServer(certs, publicRepositories);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start token server", e);
        }
    }

    /** Listening port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Realm URL, {@code http://127.0.0.1:PORT/token}. */
    public String realm() {
        return "http://127.0.0.1:" + port() + "/token";
    }

    /** Number of requests received so far. */
    public int requestCount() {
        return requests.size();
    }

    /** Requests received so far, oldest first. */
    public List<TokenRequest> requests() {
        return List.copyOf(requests);
    }

    /** Forgets recorded requests. */
    public void resetRequests() {
        requests.clear();
    }

    /**
     * Mints a token directly (no HTTP, not recorded) for {@code sub} granting the actions on a
     * repository, e.g. {@code token("admin", "library/busybox", "pull")}.
     */
    public String token(String subject, String repository, String... actions) {
        return sign(subject, List.of(new Grant("repository", repository, List.of(actions))));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private record Grant(String type, String name, List<String> actions) {
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            Map<String, List<String>> params;
            String grantType = null;
            List<String> scopes = new ArrayList<>();
            if ("GET".equals(method)) {
                params = parseForm(ex.getRequestURI().getRawQuery());
                scopes.addAll(params.getOrDefault("scope", List.of()));
            } else if ("POST".equals(method)) {
                params = parseForm(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                grantType = first(params, "grant_type");
                for (String s : params.getOrDefault("scope", List.of())) {
                    for (String part : s.trim().split("\\s+")) {
                        if (!part.isEmpty()) {
                            scopes.add(part);
                        }
                    }
                }
            } else {
                respond(ex, 405, error("UNSUPPORTED", "unsupported method"), null, method, null, scopes, null, null);
                return;
            }
            String service = first(params, "service");
            if (service != null && !SERVICE.equals(service)) {
                respond(ex, 400, error("DENIED", "unknown service"), null, method, grantType, scopes, null, service);
                return;
            }
            String user;
            boolean offline = false;
            if ("GET".equals(method)) {
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                if (auth == null) {
                    user = null;
                } else if (validBasic(auth)) {
                    user = USERNAME;
                } else {
                    unauthorized(ex, method, null, service, scopes);
                    return;
                }
            } else if ("password".equals(grantType)) {
                if (!(USERNAME.equals(first(params, "username")) && PASSWORD.equals(first(params, "password")))) {
                    unauthorized(ex, method, grantType, service, scopes);
                    return;
                }
                user = USERNAME;
                offline = true;
            } else if ("refresh_token".equals(grantType)) {
                if (!REFRESH_TOKEN.equals(first(params, "refresh_token"))) {
                    unauthorized(ex, method, grantType, service, scopes);
                    return;
                }
                user = USERNAME;
                offline = true;
            } else {
                respond(ex, 400, error("UNSUPPORTED", "unsupported grant_type"), null, method, grantType, scopes, null,
                        service);
                return;
            }
            String token = sign(user == null ? "" : user, grants(scopes, user != null));
            ObjectNode body = JSON.createObjectNode();
            body.put("token", token);
            body.put("access_token", token);
            body.put("expires_in", EXPIRES_IN);
            body.put("issued_at", Instant.now().toString());
            if (offline) {
                body.put("refresh_token", REFRESH_TOKEN);
            }
            respond(ex, 200, JSON.writeValueAsBytes(body), null, method, grantType, scopes, user, service);
        }
    }

    private void unauthorized(HttpExchange ex, String method, String grantType, String service,
                              List<String> scopes) throws IOException {
        respond(ex, 401, error("UNAUTHORIZED", "invalid credentials"), "Basic realm=\"" + realm() + "\"",
                method, grantType, scopes, null, service);
    }

    private void respond(HttpExchange ex, int status, byte[] body, String challenge, String method,
                         String grantType, List<String> scopes, String user, String service)
            throws IOException {
        requests.add(new TokenRequest(method, grantType, service, List.copyOf(scopes), user, status));
        ex.getResponseHeaders().set("Content-Type", "application/json");
        if (challenge != null) {
            ex.getResponseHeaders().set("WWW-Authenticate", challenge);
        }
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    private List<Grant> grants(List<String> scopes, boolean authenticated) {
        List<Grant> out = new ArrayList<>();
        for (String scope : scopes) {
            int first = scope.indexOf(':');
            int last = scope.lastIndexOf(':');
            if (first < 0 || last <= first) {
                continue;
            }
            String type = scope.substring(0, first);
            String name = scope.substring(first + 1, last);
            List<String> requested = List.of(scope.substring(last + 1).split(","));
            List<String> granted;
            if (authenticated) {
                granted = requested;
            } else if ("repository".equals(type) && publicRepositories.contains(name) && requested.contains("pull")) {
                granted = List.of("pull");
            } else {
                granted = List.of();
            }
            out.add(new Grant(type, name, granted));
        }
        return out;
    }

    private String sign(String subject, List<Grant> grants) {
        long now = Instant.now().getEpochSecond();
        ObjectNode header = JSON.createObjectNode();
        header.put("typ", "JWT");
        header.put("alg", "RS256");
        header.putArray("x5c").add(x5c);
        ObjectNode claims = JSON.createObjectNode();
        claims.put("iss", ISSUER);
        claims.put("sub", subject);
        claims.put("aud", SERVICE);
        claims.put("exp", now + EXPIRES_IN);
        claims.put("nbf", now - 5);
        claims.put("iat", now);
        claims.put("jti", UUID.randomUUID().toString());
        ArrayNode access = claims.putArray("access");
        for (Grant g : grants) {
            ObjectNode a = access.addObject();
            a.put("type", g.type());
            a.put("name", g.name());
            ArrayNode actions = a.putArray("actions");
            g.actions().forEach(actions::add);
        }
        try {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            String signingInput = b64.encodeToString(JSON.writeValueAsBytes(header)) + "."
                    + b64.encodeToString(JSON.writeValueAsBytes(claims));
            Signature sig = Signature.getInstance("SHA256withRSA");
            sig.initSign(signingKey);
            sig.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64.encodeToString(sig.sign());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot sign token", e);
        }
    }

    private static boolean validBasic(String header) {
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            return decoded.equals(USERNAME + ":" + PASSWORD);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] error(String code, String message) {
        return ("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String first(Map<String, List<String>> params, String key) {
        List<String> v = params.get(key);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static Map<String, List<String>> parseForm(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }
}
