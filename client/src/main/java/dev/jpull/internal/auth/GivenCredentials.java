package dev.jpull.internal.auth;

import dev.jpull.Endpoint;
import dev.jpull.spi.CredentialSource;
import dev.jpull.spi.Credentials;

import java.util.Locale;
import java.util.Objects;

/**
 * Credentials given for one invocation (skopeo's and crictl's {@code --creds}) for one registry: they answer
 * only for endpoints that are that registry, never for its mirrors on other hosts. This is the rule of
 * containers/image (credentials given for the image are dropped for a mirror whose domain is not the primary
 * one) and of K3s/containerd {@code configs} (keyed by the host of the endpoint that asks): a mirror on another
 * host is another party.
 *
 * <p>With a registry name, an endpoint matches when its {@code host[:port]} is that name (Docker Hub's names
 * {@code docker.io}, {@code index.docker.io}, {@code registry-1.docker.io} match each other). Without one
 * ({@link #forImageRegistry}), an endpoint matches when it is the image's own registry in containerd's terms:
 * it has no {@code ns} ({@link Endpoint#namespace()} is null), which every plan source sets exactly when the
 * endpoint's host is not the image's registry.
 *
 * <p>{@link #toString()} never shows the secret.
 */
public final class GivenCredentials implements CredentialSource {
    private final String registry;
    private final Credentials credentials;
    private final String origin;

    private GivenCredentials(String registry, Credentials credentials, String origin) {
        this.registry = registry == null ? null : registry.toLowerCase(Locale.ROOT);
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.origin = Objects.requireNonNull(origin, "origin");
    }

    /** Credentials for the endpoints whose host is {@code registry}. */
    public static GivenCredentials forRegistry(String registry, Credentials credentials, String origin) {
        if (registry == null || registry.isBlank() || registry.contains("/")) {
            throw new IllegalArgumentException("registry must be a host[:port], e.g. registry.example.com:5000");
        }
        return new GivenCredentials(registry, credentials, origin);
    }

    /** Credentials for the endpoints that are the image's own registry (no {@code ns}), whatever the image. */
    public static GivenCredentials forImageRegistry(Credentials credentials, String origin) {
        return new GivenCredentials(null, credentials, origin);
    }

    /** True when these credentials are for {@code ep}. */
    public boolean matches(Endpoint ep) {
        if (registry == null) {
            return ep.namespace() == null;
        }
        String host = ep.host().toLowerCase(Locale.ROOT);
        return host.equals(registry)
                || DockerConfigCredentials.isDockerHub(host) && DockerConfigCredentials.isDockerHub(registry);
    }

    @Override
    public Found find(Endpoint ep) {
        return matches(ep) ? new Found(credentials, origin) : null;
    }

    @Override
    public String toString() {
        return "GivenCredentials[" + (registry == null ? "image registry" : registry) + ", " + credentials + "]";
    }
}
