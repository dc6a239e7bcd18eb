package dev.jpull.spi;

import dev.jpull.internal.auth.DockerConfigCredentials;
import dev.jpull.internal.auth.GivenCredentials;
import dev.jpull.internal.auth.RegistriesYamlCredentials;

import dev.jpull.Endpoint;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where credentials for an endpoint come from. Implementations look credentials up by the endpoint they are
 * for (its {@code host[:port]}), so credentials are only ever sent to the endpoint they were stored for (and to
 * the token realm that endpoint names).
 *
 * <p>The standard chain ({@link #standard}), first answer wins:
 * <ol>
 *   <li>registries.yaml {@code configs.<host>.auth} ({@link RegistriesYamlCredentials});</li>
 *   <li>{@code $REGISTRY_AUTH_FILE} if set, else {@code $XDG_RUNTIME_DIR/containers/auth.json} then
 *       {@code $XDG_CONFIG_HOME/containers/auth.json} ({@code ~/.config/containers/auth.json}) — the
 *       podman/skopeo files ({@link DockerConfigCredentials#containersAuthFiles});</li>
 *   <li>Docker's {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}, with its
 *       {@code credHelpers}/{@code credsStore} ({@link DockerConfigCredentials#dockerConfig}).</li>
 * </ol>
 *
 * <p>Implementations must be thread-safe. A source whose file or helper is broken throws
 * {@link dev.jpull.CredentialsException} naming the file or helper, never a secret.
 */
@FunctionalInterface
public interface CredentialSource {

    /**
     * Credentials for {@code endpoint}, or null when this source has none for it.
     *
     * @throws dev.jpull.CredentialsException if the source's file or helper is unusable
     */
    Found find(Endpoint endpoint);

    /**
     * Credentials and where they came from.
     *
     * @param credentials the credentials, never null
     * @param origin      e.g. {@code registries.yaml configs.reg.example.com},
     *                    {@code /home/u/.docker/config.json}, {@code docker-credential-pass}; never a secret
     */
    record Found(Credentials credentials, String origin) {
        public Found {
            java.util.Objects.requireNonNull(credentials, "credentials");
        }
    }

    /** A source without credentials: everything is anonymous. */
    static CredentialSource none() {
        return ep -> null;
    }

    /** The first source that has credentials for the endpoint wins. */
    static CredentialSource chain(List<CredentialSource> sources) {
        List<CredentialSource> copy = List.copyOf(sources);
        return ep -> {
            for (CredentialSource s : copy) {
                Found f = s.find(ep);
                if (f != null) {
                    return f;
                }
            }
            return null;
        };
    }

    /** The standard chain (see the type's description) from the process environment and {@code user.home}. */
    static CredentialSource standard() {
        return standard(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * The standard chain (see the type's description). Files are read when credentials are first needed;
     * missing files are skipped.
     *
     * @param env  environment variables ({@code DOCKER_CONFIG}, {@code REGISTRY_AUTH_FILE},
     *             {@code XDG_RUNTIME_DIR}, {@code XDG_CONFIG_HOME}, {@code PATH} for credential helpers)
     * @param home the user's home directory
     */
    static CredentialSource standard(Map<String, String> env, Path home) {
        return chain(List.of(new RegistriesYamlCredentials(),
                DockerConfigCredentials.containersAuthFiles(env, home),
                DockerConfigCredentials.dockerConfig(env, home)));
    }

    /**
     * The credentials of a user for one registry, as skopeo's and crictl's {@code --creds USER:PASSWORD}: they
     * go to the endpoints whose {@code host[:port]} is {@code registry} (Docker Hub's names count as one) and
     * their token service, never to a mirror on another host (as containers/image drops {@code --creds} for a
     * mirror, and as K3s {@code configs} are keyed by the endpoint's host). Put it first in a {@link #chain} to
     * win over the files: {@code CredentialSource.chain(List.of(CredentialSource.forRegistry(...),
     * CredentialSource.standard()))}.
     *
     * @param registry {@code host[:port]}, e.g. {@code registry.example.com:5000} or {@code docker.io}
     * @param password the password; an empty one is sent as such
     * @throws IllegalArgumentException if {@code registry} is not a host or the user name is empty
     */
    static CredentialSource forRegistry(String registry, String username, String password) {
        return GivenCredentials.forRegistry(registry, userCredentials(username, password),
                "credentials given for " + registry);
    }

    /**
     * As {@link #forRegistry}, for whatever image is pulled: the endpoints that are the image's own registry
     * (those without {@code ns}, see {@link dev.jpull.Endpoint#namespace()}), never its mirrors on other hosts.
     * The command line's {@code --creds} is this.
     */
    static CredentialSource forImageRegistry(String username, String password) {
        return GivenCredentials.forImageRegistry(userCredentials(username, password), "--creds");
    }

    private static Credentials userCredentials(String username, String password) {
        if (username == null || username.isEmpty()) {
            throw new IllegalArgumentException("the user name must not be empty");
        }
        return new Credentials(username, password == null ? "" : password, null);
    }

    /** registries.yaml {@code configs.<host>.auth} of each endpoint (the first source of {@link #standard}). */
    static CredentialSource registriesYaml() {
        return new RegistriesYamlCredentials();
    }

    /**
     * One containers {@code auth.json} (podman's and skopeo's {@code --authfile}): {@code auths} by registry and
     * repository, {@code credHelpers}; {@code env} supplies {@code PATH} (and the environment) of credential
     * helpers. A missing file has no credentials; a malformed one throws {@link dev.jpull.CredentialsException}.
     */
    static CredentialSource authFile(Path file, Map<String, String> env) {
        return DockerConfigCredentials.authFile(file, env);
    }

    /**
     * The standard chain, or with {@code authFile} (when not null) registries.yaml then that file alone, in place
     * of the default auth.json files and Docker's config.json, as podman's {@code --authfile} replaces them.
     */
    static CredentialSource standard(Map<String, String> env, Path home, Path authFile) {
        return authFile == null ? standard(env, home) : chain(List.of(registriesYaml(), authFile(authFile, env)));
    }
}
