package dev.jpull.internal.pull;

import dev.jpull.internal.oci.Platform;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which images of an index a pull takes: the one best for a platform (the usual pull), the best one for each of
 * several platforms ({@code --platform} repeated), or every image ({@code --all-platforms}). The first of
 * {@code named} is the preferred platform: its image is the one the result reports first (and containerd
 * unpacks); with {@code all} it is only that.
 *
 * @param all   every image below the index
 * @param named the platforms asked for, at least one, the preferred first
 */
public record PlatformSelection(boolean all, List<PlatformMatcher> named) {
    public PlatformSelection {
        named = List.copyOf(named);
        if (named.isEmpty()) {
            throw new IllegalArgumentException("no platform");
        }
    }

    /** The usual pull: the one image best for {@code platform}. */
    public static PlatformSelection single(PlatformMatcher platform) {
        return new PlatformSelection(false, List.of(platform));
    }

    /** More than one image may be pulled (and the store then names the index). */
    public boolean several() {
        return all || named.size() > 1;
    }

    /** The preferred platform. */
    public PlatformMatcher preferred() {
        return named.get(0);
    }

    /** How far {@code platform} (an index entry's, null when it had none) suits the preferred one; lower is better. */
    int preference(Platform platform) {
        return preferred().preference(platform);
    }

    /** {@code all platforms}, or the platforms named, e.g. {@code linux/amd64, linux/arm64}. */
    public String describe() {
        return all ? "all platforms" : named.stream().map(PlatformMatcher::describe).collect(Collectors.joining(", "));
    }
}
