package dev.jpull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferenceTest {
    private static final String HEX = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final String DIGEST = "sha256:" + HEX;

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "null", value = {
        // input,                                   registry,          repository,             tag
        "alpine,                                    docker.io,         library/alpine,         latest",
        "alpine:3.20,                               docker.io,         library/alpine,         3.20",
        "library/alpine,                            docker.io,         library/alpine,         latest",
        "rancher/mirrored-pause:3.6,                docker.io,         rancher/mirrored-pause, 3.6",
        "docker.io/alpine,                          docker.io,         library/alpine,         latest",
        "docker.io/rancher/pause,                   docker.io,         rancher/pause,          latest",
        "index.docker.io/alpine,                    docker.io,         library/alpine,         latest",
        "index.docker.io/foo/bar:1,                 docker.io,         foo/bar,                1",
        "registry.example.com:5000/rancher/pause:3.6, registry.example.com:5000, rancher/pause, 3.6",
        "172.31.6.200:5000/library/alpine,          172.31.6.200:5000, library/alpine,         latest",
        "localhost/foo,                             localhost,         foo,                    latest",
        "localhost:5000/foo/bar:v1,                 localhost:5000,    foo/bar,                v1",
        "localhost,                                 docker.io,         library/localhost,      latest",
        "example.com,                               docker.io,         library/example.com,    latest",
        "Foo/bar,                                   Foo,               bar,                    latest",
        "myhost:5000/a/b/c,                         myhost:5000,       a/b/c,                  latest",
        "[::1]:5000/foo,                            [::1]:5000,        foo,                    latest",
        "[2001:db8::1]/foo:x,                       [2001:db8::1],     foo,                    x",
        "ghcr.io/a__b/c-d--e.f_g:Tag_1.2-3,         ghcr.io,           a__b/c-d--e.f_g,        Tag_1.2-3",
        "quay.io/foo/bar,                           quay.io,           foo/bar,                latest",
    })
    void normalises(String input, String registry, String repository, String tag) {
        ImageReference ref = ImageReference.parse(input);
        assertThat(ref).isEqualTo(new ImageReference(registry, repository, tag, null));
        assertThat(ref.manifestReference()).isEqualTo(tag);
    }

    @org.junit.jupiter.api.Test
    void digestReferenceKeepsDigestAndHasNoTag() {
        ImageReference ref = ImageReference.parse("alpine@" + DIGEST);
        assertThat(ref).isEqualTo(new ImageReference("docker.io", "library/alpine", null, DIGEST));
        assertThat(ref.manifestReference()).isEqualTo(DIGEST);
        assertThat(ref.toString()).isEqualTo("docker.io/library/alpine@" + DIGEST);
    }

    /** sha512 (OCI image spec) and sha384 (go-digest, so containerd) digests are references like sha256. */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {384, 512})
    void sha384AndSha512DigestsAreAcceptedAsContainerdAcceptsThem(int bits) {
        String digest = "sha" + bits + ":" + "0123456789abcdef".repeat(bits / 64);
        ImageReference ref = ImageReference.parse("example.com:5000/foo/bar:1@" + digest);
        assertThat(ref).isEqualTo(new ImageReference("example.com:5000", "foo/bar", null, digest));
        assertThat(ref.manifestReference()).isEqualTo(digest);
        assertThatThrownBy(() -> ImageReference.parse("foo@" + digest + "0"))
                .hasMessageContaining("sha" + bits + " needs exactly " + bits / 4 + " lowercase hex digits");
        assertThatThrownBy(() -> ImageReference.parse("foo@" + digest.toUpperCase(java.util.Locale.ROOT)))
                .hasMessageContaining("unsupported digest algorithm \"SHA" + bits + "\"");
    }

    @org.junit.jupiter.api.Test
    void tagPlusDigestDropsTheTag() {
        ImageReference ref = ImageReference.parse("registry.example.com:5000/foo/bar:1.0@" + DIGEST);
        assertThat(ref).isEqualTo(new ImageReference("registry.example.com:5000", "foo/bar", null, DIGEST));
    }

    @org.junit.jupiter.api.Test
    void toStringIsTheNormalisedName() {
        assertThat(ImageReference.parse("alpine").toString()).isEqualTo("docker.io/library/alpine:latest");
        assertThat(ImageReference.parse("alpine").name()).isEqualTo("docker.io/library/alpine");
    }

    @org.junit.jupiter.api.Test
    void pathOf255CharactersIsAcceptedAnd256Rejected() {
        String ok = "a".repeat(255);
        assertThat(ImageReference.parse("example.com/" + ok).repository()).hasSize(255);
        assertThatThrownBy(() -> ImageReference.parse("example.com/" + "a".repeat(256)))
                .isInstanceOf(ReferenceException.class)
                .hasMessageContaining("must not be more than 255 characters");
    }

    @org.junit.jupiter.api.Test
    void domainDoesNotCountTowardsTheLengthLimit() {
        String domain = "d".repeat(60) + ".example.com";
        assertThat(ImageReference.parse(domain + "/" + "a".repeat(255)).registry()).isEqualTo(domain);
    }

    @org.junit.jupiter.api.Test
    void tagOf128CharactersIsAcceptedAnd129Rejected() {
        assertThat(ImageReference.parse("alpine:" + "t".repeat(128)).tag()).hasSize(128);
        assertThatThrownBy(() -> ImageReference.parse("alpine:" + "t".repeat(129)))
                .hasMessageContaining("invalid tag");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "''                                      | reference is empty",
        HEX + "                                  | 64-character hexadecimal string",
        "Alpine                                  | repository name must be lowercase",
        "docker.io/Library/alpine                | repository name must be lowercase",
        "example.com/Foo/bar                     | repository name must be lowercase",
        "alpine:                                 | invalid tag \"\"",
        "alpine:-x                               | invalid tag \"-x\"",
        "alpine:.x                               | invalid tag \".x\"",
        "alpine:a/b                              | invalid registry host \"alpine:a\"",
        "alpine@                                 | invalid digest",
        "alpine@sha256:abc                       | invalid digest",
        "alpine@sha256:" + "A" + "bcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789 | 64 lowercase hex",
        "alpine@sha256:" + HEX + "0              | 64 lowercase hex",
        "alpine@md5:0123456789abcdef0123456789abcdef | unsupported digest algorithm \"md5\" (jpull, like containerd, verifies sha256, sha384 and sha512)",
        "alpine@sha1:0123456789abcdef0123456789abcdef01234567 | unsupported digest algorithm \"sha1\"",
        "foo//bar                                | invalid repository name",
        "foo/bar/                                | invalid repository name",
        "-foo                                    | invalid repository name",
        "foo_-bar                                | invalid repository name",
        "foo___bar                               | invalid repository name",
        "example.com:x/foo                       | invalid registry host",
        "-bad.example.com/foo                    | invalid registry host",
        "example.com/                            | repository name is empty",
        "foo:a:b                                 | invalid repository name",
        "foo bar                                 | invalid repository name",
    })
    void rejects(String input, String problem) {
        assertThatThrownBy(() -> ImageReference.parse(input))
                .isInstanceOf(ReferenceException.class)
                .hasMessageStartingWith("invalid reference \"" + input + "\": ")
                .hasMessageContaining(problem)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @org.junit.jupiter.api.Test
    void digestNamedRepositoryIsFineWhenItIsNotABare64HexString() {
        assertThat(ImageReference.parse("example.com/" + HEX).repository()).isEqualTo(HEX);
    }
}
