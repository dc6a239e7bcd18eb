package dev.jpull.internal.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RouteTest {
    private static final String D = "sha256:" + "a".repeat(64);

    @Test
    void manifestsBlobsAndTagsOfNestedRepositories() throws Exception {
        Route m = Route.parse("/v2/team/app/web/manifests/1.0", "registry.example:5000");
        assertThat(m.kind()).isEqualTo(Route.Kind.MANIFEST);
        assertThat(m.image().toString()).isEqualTo("registry.example:5000/team/app/web:1.0");
        assertThat(m.byDigest()).isFalse();

        Route b = Route.parse("/v2/library/alpine/blobs/" + D, "docker.io");
        assertThat(b.kind()).isEqualTo(Route.Kind.BLOB);
        assertThat(b.image().repository()).isEqualTo("library/alpine");
        assertThat(b.reference()).isEqualTo(D);

        assertThat(Route.parse("/v2/alpine/manifests/" + D, "docker.io").byDigest()).isTrue();
        assertThat(Route.parse("/v2/library/alpine/tags/list", "docker.io").kind()).isEqualTo(Route.Kind.TAGS);
        assertThat(Route.parse("/v2/", "docker.io").kind()).isEqualTo(Route.Kind.BASE);
    }

    @Test
    void theRegistryIsContainerdsNsParameterElseTheDefault() throws Exception {
        assertThat(Route.registry("ns=127.0.0.1%3A5000", "docker.io")).isEqualTo("127.0.0.1:5000");
        assertThat(Route.registry("n=10&ns=quay.io", "docker.io")).isEqualTo("quay.io");
        assertThat(Route.registry(null, "docker.io")).isEqualTo("docker.io");
        assertThatThrownBy(() -> Route.registry("ns=a%2Fb", "docker.io")).isInstanceOf(Route.Refused.class);
        assertThatThrownBy(() -> Route.registry("ns=%zz", "docker.io")).isInstanceOf(Route.Refused.class);
    }

    @Test
    void refusesWhatNoRegistryPathLooksLike() {
        assertRefused("/v2/../etc/manifests/1", 404);
        assertRefused("/v2/a%2Fb/manifests/1", 404);
        assertRefused("/v2/a//b/manifests/1", 404);
        assertRefused("/v2/UPPER/manifests/1", 400);
        assertRefused("/v2/app/manifests/-bad", 400);
        assertRefused("/v2/app/blobs/latest", 400);
        assertRefused("/v2/app/blobs/sha256:1234", 400);
        assertRefused("/v2/app/uploads/x", 404);
        assertRefused("/v2/" + "a/".repeat(600) + "manifests/1", 414);
    }

    private static void assertRefused(String path, int status) {
        assertThatThrownBy(() -> Route.parse(path, "docker.io")).isInstanceOfSatisfying(Route.Refused.class,
                r -> assertThat(r.status).as(path).isEqualTo(status));
    }
}
