package dev.jpull.testdata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * A real CNCF distribution registry ({@code docker-registry serve}, Debian 2.8.2) on 127.0.0.1 with a
 * free port, in one of five {@link Mode}s. Storage, config and log live in a temporary directory that
 * is deleted on {@link #close()} (kept when system property {@code jpull.fixtures.keep=true}).
 * Registries still running at JVM exit are killed by a shutdown hook.
 */
public final class RegistryFixture implements AutoCloseable {

    /** How the registry is exposed. */
    public enum Mode {
        /** Plain HTTP, no auth. */
        PLAIN,
        /** Plain HTTP, htpasswd Basic auth (admin/Harbor12345). */
        BASIC_AUTH,
        /** HTTPS with the test CA's server cert, no auth. */
        TLS,
        /** HTTPS requiring a client cert signed by the test CA, plus htpasswd Basic auth. */
        MTLS_BASIC,
        /** Plain HTTP, bearer tokens from a {@link TokenServer}. */
        TOKEN
    }

    /** Basic/token user. */
    public static final String USERNAME = TokenServer.USERNAME;
    /** Basic/token password. */
    public static final String PASSWORD = TokenServer.PASSWORD;

    // htpasswd -Bbn admin Harbor12345
    private static final String HTPASSWD = "admin:$2y$05$aeA.gJMwYxiU/9WJYCuUlO7UBGmpAaZ9ijpiOaUYFWfxSNZ2AUdFG\n";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Set<RegistryFixture> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(RegistryFixture::close)));
    }

    private final Mode mode;
    private final Certs certs;
    private final Path dir;
    private final int port;
    private final TokenServer tokenServer;
    private final boolean ownsTokenServer;
    private Process process;

    private RegistryFixture(Mode mode, Certs certs, Path dir, int port, TokenServer tokenServer, boolean owns) {
        this.mode = mode;
        this.certs = certs;
        this.dir = dir;
        this.port = port;
        this.tokenServer = tokenServer;
        this.ownsTokenServer = owns;
    }

    /** Starts a registry in the given mode (TOKEN mode starts its own {@link TokenServer}). */
    public static RegistryFixture start(Mode mode) {
        TokenServer ts = mode == Mode.TOKEN ? TokenServer.start(Certs.get()) : null;
        try {
            return launch(mode, ts, ts != null);
        } catch (RuntimeException e) {
            if (ts != null) {
                ts.close();
            }
            throw e;
        }
    }

    /** Starts a TOKEN-mode registry using a caller-owned token server (not closed with the fixture). */
    public static RegistryFixture startToken(TokenServer tokenServer) {
        return launch(Mode.TOKEN, tokenServer, false);
    }

    /** An empty plain-HTTP registry without auth (same as {@code start(Mode.PLAIN)}). */
    public static RegistryFixture startEmpty() {
        return start(Mode.PLAIN);
    }

    /** A TCP port on 127.0.0.1 that was free a moment ago. */
    public static int freePort() {
        return Procs.freePort();
    }

    private static RegistryFixture launch(Mode mode, TokenServer ts, boolean ownsTs) {
        Certs certs = Certs.get();
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            Path dir;
            try {
                dir = Files.createTempDirectory("jpull-registry-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            RegistryFixture f = new RegistryFixture(mode, certs, dir, Procs.freePort(), ts, ownsTs);
            try {
                f.startProcess();
                return f;
            } catch (IllegalStateException e) {
                last = e;
                f.stopProcess();
                Procs.deleteTree(dir);
                if (!String.valueOf(e.getMessage()).contains("address already in use")) {
                    throw e;
                }
            }
        }
        throw last;
    }

    private void startProcess() {
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.writeString(dir.resolve("htpasswd"), HTPASSWD, StandardCharsets.UTF_8);
            Files.writeString(configFile(), RegistryConfig.yaml(this), StandardCharsets.UTF_8);
            ProcessBuilder pb = new ProcessBuilder("docker-registry", "serve", configFile().toString())
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(logFile().toFile());
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start docker-registry", e);
        }
        LIVE.add(this);
        awaitReady();
    }

    private void awaitReady() {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (tls()) {
            b.sslContext(certs.sslContext(mode == Mode.MTLS_BASIC));
        }
        HttpClient http = b.build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(baseUrl() + "/v2/")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry (" + mode + ") exited with "
                        + process.exitValue() + ": " + Procs.tail(readLog(), 2000));
            }
            try {
                int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200 || status == 401) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for registry", e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for registry", e);
            }
        }
        throw new IllegalStateException("docker-registry (" + mode + ") not ready after "
                + START_TIMEOUT.toSeconds() + " s: " + Procs.tail(readLog(), 2000));
    }

    private String readLog() {
        try {
            return Files.readString(logFile(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<no log>";
        }
    }

    private void stopProcess() {
        if (process != null) {
            Procs.kill(process);
        }
        LIVE.remove(this);
    }

    /** Stops the registry (and an owned token server) and deletes its temporary directory. */
    @Override
    public synchronized void close() {
        stopProcess();
        if (ownsTokenServer && tokenServer != null) {
            tokenServer.close();
        }
        if (!Boolean.getBoolean("jpull.fixtures.keep")) {
            Procs.deleteTree(dir);
        }
    }

    /** The mode. */
    public Mode mode() { return mode; }
    /** Listening port. */
    public int port() { return port; }
    /** {@code 127.0.0.1:PORT}. */
    public String hostPort() { return "127.0.0.1:" + port; }
    /** {@code http://127.0.0.1:PORT} or {@code https://...} in TLS modes. */
    public String baseUrl() { return (tls() ? "https://" : "http://") + hostPort(); }
    /** Whether the registry speaks HTTPS. */
    public boolean tls() { return mode == Mode.TLS || mode == Mode.MTLS_BASIC; }
    /** Required user name, null when the registry needs no credentials. */
    public String username() { return mode == Mode.BASIC_AUTH || mode == Mode.MTLS_BASIC || mode == Mode.TOKEN ? USERNAME : null; }
    /** Required password, null when the registry needs no credentials. */
    public String password() { return username() == null ? null : PASSWORD; }
    /** The certificate set in use. */
    public Certs certs() { return certs; }
    /** The token server (TOKEN mode), otherwise null. */
    public TokenServer tokenServer() { return tokenServer; }
    /** Registry output (stdout and stderr). */
    public Path logFile() { return dir.resolve("registry.log"); }
    /** Generated config.yml. */
    public Path configFile() { return dir.resolve("config.yml"); }
    /** Filesystem storage root. */
    public Path storageDir() { return dir.resolve("data"); }
    /** htpasswd file (used in BASIC_AUTH and MTLS_BASIC). */
    Path htpasswdFile() { return dir.resolve("htpasswd"); }

    @Override
    public String toString() {
        return "RegistryFixture[" + mode + " " + baseUrl() + "]";
    }
}
