package dev.jpull.internal.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jpull.CredentialsException;
import dev.jpull.Endpoint;
import dev.jpull.internal.oci.JsonTrees;
import dev.jpull.spi.CredentialSource;
import dev.jpull.spi.Credentials;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Docker credential helper: runs {@code docker-credential-<name> get} with the server key on stdin and reads
 * {@code {"ServerURL":..,"Username":..,"Secret":..}} from stdout. A helper that says
 * {@code credentials not found} means "no credentials" (anonymous); {@code Username} {@code <token>} means
 * the secret is an identity token. Each run is bounded by a timeout (10 s by default); answers are cached per
 * key. The helper binary is looked up on the {@code PATH} of the given environment, which is also the
 * environment the helper runs with.
 *
 * <p>As a {@link CredentialSource} it answers for any endpoint with the Docker key of the endpoint
 * ({@link DockerConfigCredentials#dockerKey}). A missing binary, a non-zero exit other than not-found,
 * malformed output or a timeout throws {@link CredentialsException} naming the helper, never a secret.
 */
public final class HelperCredentials implements CredentialSource {
    /** How long one helper run may take by default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_OUTPUT = 1024 * 1024;

    private final String helper;
    private final Map<String, String> env;
    private final Duration timeout;
    private final Map<String, Result> cache = new ConcurrentHashMap<>();

    /** Answer of one run: credentials (possibly null = not found) or the failure. */
    private record Result(Credentials credentials, CredentialsException failure) {
    }

    /**
     * @param helper the suffix after {@code docker-credential-} (the {@code credsStore}/{@code credHelpers} value)
     * @param env    environment of the helper; its {@code PATH} is searched for the binary
     */
    public HelperCredentials(String helper, Map<String, String> env) {
        this(helper, env, DEFAULT_TIMEOUT);
    }

    public HelperCredentials(String helper, Map<String, String> env, Duration timeout) {
        this.helper = helper;
        this.env = Map.copyOf(env);
        this.timeout = timeout;
    }

    /** {@code docker-credential-<name>}. */
    public String program() {
        return "docker-credential-" + helper;
    }

    @Override
    public Found find(Endpoint ep) {
        String key = DockerConfigCredentials.dockerKey(ep);
        Credentials c = get(key);
        return c == null ? null : new Found(c, program());
    }

    /**
     * Credentials the helper holds for {@code serverKey} (e.g. {@code https://index.docker.io/v1/} or
     * {@code reg.example.com:5000}), or null when it has none.
     *
     * @throws CredentialsException if the helper is missing, fails, times out or answers malformed output
     */
    public Credentials get(String serverKey) {
        Result r = cache.computeIfAbsent(serverKey, k -> {
            try {
                return new Result(run(k), null);
            } catch (CredentialsException e) {
                return new Result(null, e);
            }
        });
        if (r.failure() != null) {
            throw r.failure();
        }
        return r.credentials();
    }

    private Credentials run(String serverKey) {
        String what = "credential helper " + program();
        Ran r = exec("get", serverKey.getBytes(StandardCharsets.UTF_8), serverKey);
        String text = new String(r.stdout(), StandardCharsets.UTF_8).strip();
        if (r.exit() != 0) {
            if (text.contains("credentials not found")) {
                return null;
            }
            throw failed(r, "failed for " + serverKey);
        }
        return parse(text, serverKey, what);
    }

    /**
     * Stores {@code username}/{@code secret} for {@code serverKey} ({@code docker-credential-NAME store}, JSON
     * {@code {"ServerURL","Username","Secret"}} on stdin), as {@code docker login} does with a helper.
     *
     * @throws CredentialsException if the helper is missing, fails or times out; the message has no secret
     */
    public void store(String serverKey, String username, String secret) {
        var json = JsonTrees.object();
        json.put("ServerURL", serverKey);
        json.put("Username", username);
        json.put("Secret", secret);
        byte[] input = JsonTrees.bytes(json);
        Ran r = exec("store", input, serverKey);
        if (r.exit() != 0) {
            throw failed(r, "could not store credentials for " + serverKey);
        }
        cache.remove(serverKey);
    }

    /**
     * Erases what the helper holds for {@code serverKey} ({@code docker-credential-NAME erase}, the key on stdin).
     *
     * @return false when the helper had nothing for it ({@code credentials not found})
     * @throws CredentialsException if the helper is missing, fails otherwise or times out
     */
    public boolean erase(String serverKey) {
        Ran r = exec("erase", serverKey.getBytes(StandardCharsets.UTF_8), serverKey);
        cache.remove(serverKey);
        if (r.exit() == 0) {
            return true;
        }
        String text = new String(r.stdout(), StandardCharsets.UTF_8) + new String(r.stderr(), StandardCharsets.UTF_8);
        if (text.contains("credentials not found")) {
            return false;
        }
        throw failed(r, "could not erase credentials for " + serverKey);
    }

    /**
     * The server keys the helper holds credentials for ({@code docker-credential-NAME list}: a JSON object of server
     * URL to user name), in the helper's order.
     *
     * @throws CredentialsException if the helper is missing, fails, times out or answers malformed output
     */
    public List<String> list() {
        Ran r = exec("list", new byte[0], "its list");
        if (r.exit() != 0) {
            throw failed(r, "could not list its credentials");
        }
        JsonNode root;
        try {
            root = JsonTrees.read(r.stdout());
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            throw new CredentialsException("credential helper " + program() + " list: not a JSON object");
        }
        List<String> servers = new ArrayList<>();
        root.fieldNames().forEachRemaining(servers::add);
        return servers;
    }

    /** One finished run of the helper. */
    private record Ran(int exit, byte[] stdout, byte[] stderr) {
    }

    private CredentialsException failed(Ran r, String what) {
        String text = new String(r.stdout(), StandardCharsets.UTF_8).strip();
        String msg = !text.isEmpty() ? text : new String(r.stderr(), StandardCharsets.UTF_8).strip();
        return new CredentialsException("credential helper " + program() + " " + what + " (exit " + r.exit() + ")"
                + (msg.isEmpty() ? "" : ": " + firstLine(msg)));
    }

    /** Runs {@code docker-credential-NAME action} with {@code input} on stdin, bounded by the timeout. */
    private Ran exec(String action, byte[] input, String serverKey) {
        if (helper.isEmpty() || helper.contains("/") || helper.contains("\\") || helper.equals("..")) {
            throw new CredentialsException("invalid credential helper name '" + helper + "'");
        }
        Path exe = locate();
        String what = "credential helper " + program();
        ProcessBuilder pb = new ProcessBuilder(exe.toString(), action);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new CredentialsException(what + " (" + exe + ") cannot be started: " + e.getMessage());
        }
        CompletableFuture<byte[]> out = drain(p.getInputStream(), "stdout");
        CompletableFuture<byte[]> err = drain(p.getErrorStream(), "stderr");
        try (OutputStream in = p.getOutputStream()) {
            in.write(input);
        } catch (IOException e) {
            // the helper may exit without reading stdin; its exit status tells
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                throw new CredentialsException(what + " did not answer" + (action.equals("get") ? "" : " " + action) + " for " + serverKey + " within "
                        + timeout.toSeconds() + " s");
            }
            return new Ran(p.exitValue(), out.get(timeout.toMillis(), TimeUnit.MILLISECONDS),
                    err.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new CredentialsException(what + " interrupted");
        } catch (ExecutionException | TimeoutException e) {
            kill(p); // a child of the helper still holds the output open
            throw new CredentialsException(what + " did not close its output for " + serverKey);
        }
    }

    private static Credentials parse(String text, String serverKey, String what) {
        JsonNode n;
        try {
            n = JsonTrees.read(text);
        } catch (IOException e) {
            n = null; // never quote the output: it may hold the secret
        }
        if (n == null || !n.isObject() || !textOrAbsent(n, "Username") || !textOrAbsent(n, "Secret")) {
            throw new CredentialsException(what + " answered malformed output for " + serverKey
                    + " (expected JSON {ServerURL, Username, Secret})");
        }
        String user = n.path("Username").asText("");
        String secret = n.path("Secret").asText("");
        if (user.isEmpty() && secret.isEmpty()) {
            return null;
        }
        if (user.equals("<token>")) {
            return new Credentials(null, null, secret);
        }
        return new Credentials(user, secret, null);
    }

    private static boolean textOrAbsent(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.isTextual();
    }

    private Path locate() {
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program());
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new CredentialsException("credential helper " + program() + " not found on PATH");
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /** Reads {@code in} on its own daemon thread (the common pool may have a single thread). */
    private CompletableFuture<byte[]> drain(InputStream in, String which) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        Thread t = new Thread(() -> f.complete(readBounded(in)), program() + "-" + which);
        t.setDaemon(true);
        t.start();
        return f;
    }

    private static byte[] readBounded(InputStream in) {
        try (in) {
            byte[] b = in.readNBytes(MAX_OUTPUT);
            in.transferTo(OutputStream.nullOutputStream()); // drain so the helper never blocks on a full pipe
            return b;
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static String firstLine(String s) {
        String line = s.lines().findFirst().orElse("").strip();
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    @Override
    public String toString() {
        return "HelperCredentials[" + program() + "]";
    }
}
