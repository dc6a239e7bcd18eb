package dev.jpull;

import java.util.List;
import java.util.Objects;

/**
 * What {@link Jpull#digest} found: the digest a reference resolves to now, without pulling.
 *
 * @param reference the normalised reference ({@code docker.io/library/alpine:latest})
 * @param digest    the digest of the manifest the reference names (the index of a multi-platform tag, as
 *                  {@code skopeo inspect} prints {@code Digest}), or, when a platform was asked for, of that
 *                  platform's image manifest
 * @param mediaType that manifest's media type, or null when the registry did not say
 * @param endpoint  base URL of the endpoint that answered
 * @param attempts  the requests that failed, and the success after them (a success at first try is not listed)
 */
public record DigestResult(String reference, String digest, String mediaType, String endpoint,
                           List<Attempt> attempts) {
    public DigestResult {
        Objects.requireNonNull(digest, "digest");
        attempts = List.copyOf(attempts);
    }
}
