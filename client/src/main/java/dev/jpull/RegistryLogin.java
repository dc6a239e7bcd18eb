package dev.jpull;

import dev.jpull.internal.auth.AuthFileWriter;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code jpull login} / {@code logout} for library users: where the containers {@code auth.json} is, and storing
 * or erasing one registry's credentials there (or through the credential helper that file names for it), as
 * {@code podman login} and {@code skopeo login} do. Check the credentials first with {@link Jpull#checkLogin}.
 * Nothing here prints, logs or returns a password.
 */
public final class RegistryLogin {

    /**
     * Where credentials went or were removed from.
     *
     * @param file   the auth file
     * @param helper the credential helper's program ({@code docker-credential-NAME}) that holds the secret, or
     *               null when it is written into {@code file}
     */
    public record Stored(Path file, String helper) {
        /** {@code helper} when there is one, else {@code file}. */
        public String where() {
            return helper != null ? helper : file.toString();
        }
    }

    private RegistryLogin() {
    }

    /**
     * The auth file {@code login} writes by default, as podman and skopeo choose it: {@code $REGISTRY_AUTH_FILE},
     * else {@code $XDG_RUNTIME_DIR/containers/auth.json}, else {@code $XDG_CONFIG_HOME/containers/auth.json}
     * ({@code <home>/.config/containers/auth.json}): the first file the standard credential chain reads.
     */
    public static Path defaultAuthFile(Map<String, String> env, Path home) {
        String explicit = env.get("REGISTRY_AUTH_FILE");
        if (explicit != null && !explicit.isEmpty()) {
            return Path.of(explicit);
        }
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isEmpty()) {
            return Path.of(runtime, "containers", "auth.json");
        }
        String config = env.get("XDG_CONFIG_HOME");
        Path configHome = config != null && !config.isEmpty() ? Path.of(config) : home.resolve(".config");
        return configHome.resolve("containers").resolve("auth.json");
    }

    /**
     * {@code registry} as given on a command line ({@code reg:5000}, {@code https://reg:5000/}), as
     * {@code host[:port]}.
     *
     * @throws ReferenceException when it has a path or is not a host
     */
    public static String registryName(String given) {
        String r = given.strip();
        if (r.startsWith("https://")) {
            r = r.substring("https://".length());
        } else if (r.startsWith("http://")) {
            r = r.substring("http://".length());
        }
        while (r.endsWith("/")) {
            r = r.substring(0, r.length() - 1);
        }
        if (r.isEmpty() || r.contains("/") || r.contains("@") || r.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new ReferenceException(given, "expected a registry HOST[:PORT], e.g. registry.example.com:5000");
        }
        ImageReference.parse(r + "/jpull/login"); // the same host grammar as an image's registry
        return r;
    }

    /**
     * Stores the credentials of {@code registry} in {@code authFile} ({@code auths."<registry>".auth}, other
     * entries kept, written atomically with mode 0600), or through the credential helper the file names for it
     * ({@code credHelpers."<registry>"}, else {@code credsStore}; {@code docker-credential-NAME store}).
     *
     * @param env the environment of a credential helper (its {@code PATH} is searched)
     * @throws CredentialsException when the file is malformed or cannot be written, or the helper fails
     */
    public static Stored store(Path authFile, String registry, String username, String password,
                               Map<String, String> env) {
        Objects.requireNonNull(username, "username");
        AuthFileWriter.Stored s = AuthFileWriter.store(authFile, registryName(registry), username,
                password == null ? "" : password, env);
        return new Stored(s.file(), s.helper() == null ? null : "docker-credential-" + s.helper());
    }

    /**
     * Removes what {@code authFile} (and the helper it names for {@code registry}: {@code erase}) holds for it.
     *
     * @return where it was removed from, or null when nothing was stored for {@code registry}
     * @throws CredentialsException when the file is malformed or cannot be written, or the helper fails
     */
    public static Stored erase(Path authFile, String registry, Map<String, String> env) {
        AuthFileWriter.Stored s = AuthFileWriter.erase(authFile, registryName(registry), env);
        return s == null ? null : new Stored(s.file(), s.helper() == null ? null : "docker-credential-" + s.helper());
    }

    /**
     * The user name {@code authFile} (or the credential helper it names for {@code registry}) holds for
     * {@code registry}, as {@code podman login --get-login} prints it; null when none. No network, nothing written.
     *
     * @throws CredentialsException when the file is malformed or the helper fails
     */
    public static String username(Path authFile, String registry, Map<String, String> env) {
        return AuthFileWriter.username(authFile, registryName(registry), env);
    }

    /**
     * Removes every credential {@code authFile} holds and every one the helpers it names hold, as
     * {@code podman logout --all}: its {@code auths} entries, what each {@code credHelpers} helper has for its
     * registry, everything the {@code credsStore} helper lists ({@code list}, then {@code erase} each). The helper
     * settings stay.
     *
     * @return the registries whose credentials were removed (empty when there were none)
     * @throws CredentialsException when the file is malformed or cannot be written, or a helper fails
     */
    public static List<String> eraseAll(Path authFile, Map<String, String> env) {
        return AuthFileWriter.eraseAll(authFile, env);
    }

    /** The registry's own endpoint in {@code jpull}'s plan (its configs TLS), for {@link Jpull#checkLogin}. */
    static Endpoint ownEndpoint(Jpull jpull, String registry) {
        String name = registryName(registry);
        EndpointPlan plan = jpull.planSource().resolve(ImageReference.parse(name + "/jpull/login"));
        for (Endpoint e : plan.endpoints()) {
            if (e.isDefault()) {
                return e;
            }
        }
        for (Endpoint e : plan.endpoints()) {
            if (e.namespace() == null) {
                return e;
            }
        }
        throw new LoginFailedException(name + ": the configuration gives no endpoint of the registry itself");
    }
}
