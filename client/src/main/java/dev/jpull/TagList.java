package dev.jpull;

import java.util.List;

/**
 * What {@link Jpull#tags} found: every tag of a repository, all pages, in the registry's order (distribution 2.8 does not sort
 * them; sort them for a stable order).
 *
 * @param repository the normalised repository ({@code docker.io/library/alpine})
 * @param tags       the tags, in the registry's order
 * @param endpoint   base URL of the endpoint that answered
 * @param attempts   the requests that failed, and the success after them (a success at first try is not listed)
 */
public record TagList(String repository, List<String> tags, String endpoint, List<Attempt> attempts) {
    public TagList {
        tags = List.copyOf(tags);
        attempts = List.copyOf(attempts);
    }
}
