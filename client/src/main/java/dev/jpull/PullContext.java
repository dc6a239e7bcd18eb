package dev.jpull;

import java.time.Instant;
import java.util.Objects;

/**
 * The identity of one pull, the first argument of every {@link PullListener} event it sends: a listener shared by
 * concurrent pulls tells them apart by it. Equal only to itself in practice: ids are unique within the process.
 *
 * @param id        number of the pull, unique within the process (counting every {@link Jpull} instance)
 * @param reference the normalised reference being pulled
 * @param started   when the pull started
 */
public record PullContext(long id, ImageReference reference, Instant started) {
    public PullContext {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(started, "started");
    }
}
