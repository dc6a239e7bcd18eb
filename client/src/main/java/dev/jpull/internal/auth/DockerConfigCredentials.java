package dev.jpull.internal.auth;

import dev.jpull.spi.CredentialSource;
import dev.jpull.spi.Credentials;

import dev.jpull.Endpoint;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Credentials from Docker's {@code config.json} or from containers {@code auth.json} files (same {@code auths}
 * format). Files are read once, when credentials are first needed; missing files are skipped; a malformed
 * file throws {@link dev.jpull.CredentialsException} naming it.
 *
 * <p><b>Docker flavour</b> ({@link #dockerConfig}, {@link #dockerConfigFile}), as the Docker CLI does it: the
 * key of an endpoint is {@code https://index.docker.io/v1/} for Docker Hub ({@code docker.io},
 * {@code index.docker.io}, {@code registry-1.docker.io}) and its {@code host[:port]} otherwise. If
 * {@code credHelpers[key]} (for Hub also {@code credHelpers["docker.io"]}) or else {@code credsStore} names a
 * helper, the helper alone answers ({@link HelperCredentials}); otherwise {@code auths[key]}, else (not for
 * Hub) any {@code auths} key whose host name — scheme and path stripped, port kept — equals the endpoint's.
 *
 * <p><b>Containers flavour</b> ({@link #containersAuthFiles}, {@link #authFile}), as containers/image does
 * it: the registry is {@code docker.io} for Hub, else {@code host[:port]}; {@code credHelpers[registry]} is
 * asked first; then {@code auths} keys {@code registry/namespace/repo} from the most specific to
 * {@code registry}; then legacy URL keys ({@code https://registry/v1/}). Files are tried in order.
 *
 * <p>Each lookup uses only the endpoint's own host, so credentials are never sent to another host.
 */
public final class DockerConfigCredentials implements CredentialSource {
    /** The key Docker stores Docker Hub credentials under. */
    public static final String HUB_KEY = "https://index.docker.io/v1/";
    private static final Set<String> HUB_HOSTS = Set.of("docker.io", "index.docker.io", "registry-1.docker.io");

    private enum Flavor { DOCKER, CONTAINERS }

    private final List<Path> files;
    private final String inlineJson;
    private final Flavor flavor;
    private final Map<String, String> env;
    private final Duration helperTimeout;
    private final Map<String, HelperCredentials> helpers = new ConcurrentHashMap<>();
    private volatile List<AuthFile> loaded;

    private DockerConfigCredentials(List<Path> files, String inlineJson, Flavor flavor, Map<String, String> env,
                                    Duration helperTimeout) {
        this.files = List.copyOf(files);
        this.inlineJson = inlineJson;
        this.flavor = flavor;
        this.env = Map.copyOf(env);
        this.helperTimeout = helperTimeout;
    }

    /**
     * Docker's credentials: {@code $DOCKER_AUTH_CONFIG} (JSON with {@code auths}) if set, in front of
     * {@code $DOCKER_CONFIG/config.json}, else {@code <home>/.docker/config.json}.
     */
    public static DockerConfigCredentials dockerConfig(Map<String, String> env, Path home) {
        String dir = env.get("DOCKER_CONFIG");
        Path file = dir != null && !dir.isEmpty() ? Path.of(dir, "config.json") : home.resolve(".docker/config.json");
        String inline = env.get("DOCKER_AUTH_CONFIG");
        return new DockerConfigCredentials(List.of(file), inline == null || inline.isBlank() ? null : inline,
                Flavor.DOCKER, env, HelperCredentials.DEFAULT_TIMEOUT);
    }

    /** Docker's credentials from one given {@code config.json}; {@code env} supplies {@code PATH} for helpers. */
    public static DockerConfigCredentials dockerConfigFile(Path file, Map<String, String> env) {
        return new DockerConfigCredentials(List.of(file), null, Flavor.DOCKER, env, HelperCredentials.DEFAULT_TIMEOUT);
    }

    /**
     * The containers auth files: {@code $REGISTRY_AUTH_FILE} alone if set; else
     * {@code $XDG_RUNTIME_DIR/containers/auth.json} (if the variable is set), then
     * {@code $XDG_CONFIG_HOME/containers/auth.json} ({@code <home>/.config/containers/auth.json}).
     */
    public static DockerConfigCredentials containersAuthFiles(Map<String, String> env, Path home) {
        List<Path> paths = new ArrayList<>();
        String explicit = env.get("REGISTRY_AUTH_FILE");
        if (explicit != null && !explicit.isEmpty()) {
            paths.add(Path.of(explicit));
        } else {
            String runtime = env.get("XDG_RUNTIME_DIR");
            if (runtime != null && !runtime.isEmpty()) {
                paths.add(Path.of(runtime, "containers", "auth.json"));
            }
            String config = env.get("XDG_CONFIG_HOME");
            Path configHome = config != null && !config.isEmpty() ? Path.of(config) : home.resolve(".config");
            paths.add(configHome.resolve("containers").resolve("auth.json"));
        }
        return new DockerConfigCredentials(paths, null, Flavor.CONTAINERS, env, HelperCredentials.DEFAULT_TIMEOUT);
    }

    /** One containers-format auth file (podman's {@code --authfile}). */
    public static DockerConfigCredentials authFile(Path file, Map<String, String> env) {
        return new DockerConfigCredentials(List.of(file), null, Flavor.CONTAINERS, env, HelperCredentials.DEFAULT_TIMEOUT);
    }

    /** The same source with another bound on each credential-helper run. */
    public DockerConfigCredentials withHelperTimeout(Duration timeout) {
        return new DockerConfigCredentials(files, inlineJson, flavor, env, timeout);
    }

    /** The files this source reads, in order (whether or not they exist). */
    public List<Path> files() {
        return files;
    }

    /** True for Docker Hub's host names. */
    public static boolean isDockerHub(String host) {
        return HUB_HOSTS.contains(host.toLowerCase(Locale.ROOT));
    }

    /** The Docker CLI key of {@code ep}: {@link #HUB_KEY} for Docker Hub, else its {@code host[:port]}. */
    public static String dockerKey(Endpoint ep) {
        return isDockerHub(ep.host()) ? HUB_KEY : ep.host();
    }

    /** Docker's {@code ConvertToHostname}: strips an http(s) scheme and any path, keeps the port. */
    static String hostname(String key) {
        String s = key;
        int sep = s.indexOf("://");
        if (sep >= 0 && (s.startsWith("http://") || s.startsWith("https://"))) {
            s = s.substring(sep + 3);
        }
        int slash = s.indexOf('/');
        return slash >= 0 ? s.substring(0, slash) : s;
    }

    @Override
    public Found find(Endpoint ep) {
        for (AuthFile f : loaded()) {
            Found found = flavor == Flavor.DOCKER ? docker(f, ep) : containers(f, ep);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private Found docker(AuthFile f, Endpoint ep) {
        boolean hub = isDockerHub(ep.host());
        String key = hub ? HUB_KEY : ep.host();
        String helper = f.credHelpers().get(key);
        if (helper == null && hub) {
            helper = f.credHelpers().get("docker.io");
        }
        if (helper == null) {
            helper = f.credsStore();
        }
        if (helper != null) {
            return viaHelper(helper, key, f);
        }
        Credentials c = f.auths().get(key);
        if (c != null) {
            return new Found(c, f.name());
        }
        if (!hub) {
            for (Map.Entry<String, Credentials> e : f.auths().entrySet()) {
                if (hostname(e.getKey()).equals(ep.host())) {
                    return new Found(e.getValue(), f.name());
                }
            }
        }
        return null;
    }

    private Found containers(AuthFile f, Endpoint ep) {
        String registry = isDockerHub(ep.host()) ? "docker.io" : ep.host();
        String helper = f.credHelpers().get(registry);
        if (helper != null) {
            Found found = viaHelper(helper, registry, f);
            if (found != null) {
                return found;
            }
        }
        String key = registry + "/" + ep.repository();
        while (true) {
            Credentials c = f.auths().get(key);
            if (c != null) {
                return new Found(c, f.name());
            }
            int slash = key.lastIndexOf('/');
            if (slash < 0) {
                break;
            }
            key = key.substring(0, slash);
        }
        for (Map.Entry<String, Credentials> e : f.auths().entrySet()) {
            String k = e.getKey();
            if (k.startsWith("http://") || k.startsWith("https://")) {
                String h = hostname(k);
                if ((isDockerHub(h) ? "docker.io" : h).equals(registry)) {
                    return new Found(e.getValue(), f.name());
                }
            }
        }
        return null;
    }

    private Found viaHelper(String helper, String key, AuthFile f) {
        HelperCredentials h = helpers.computeIfAbsent(helper, n -> new HelperCredentials(n, env, helperTimeout));
        Credentials c = h.get(key);
        return c == null ? null : new Found(c, h.program() + " (" + f.name() + ")");
    }

    private List<AuthFile> loaded() {
        List<AuthFile> l = loaded;
        if (l == null) {
            synchronized (this) {
                l = loaded;
                if (l == null) {
                    List<AuthFile> all = new ArrayList<>();
                    if (inlineJson != null) {
                        all.add(AuthFile.parse(inlineJson.getBytes(StandardCharsets.UTF_8), "$DOCKER_AUTH_CONFIG"));
                    }
                    for (Path p : files) {
                        AuthFile f = AuthFile.read(p);
                        if (f != null) {
                            all.add(f);
                        }
                    }
                    loaded = l = List.copyOf(all);
                }
            }
        }
        return l;
    }

    @Override
    public String toString() {
        return "DockerConfigCredentials[" + flavor.name().toLowerCase(Locale.ROOT) + ", " + files + "]";
    }
}
