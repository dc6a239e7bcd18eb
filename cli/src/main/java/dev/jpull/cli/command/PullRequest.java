package dev.jpull.cli.command;

import dev.jpull.Hedging;
import dev.jpull.cli.option.CommonOptions;

/**
 * One pull as the command line asked for it: what {@link PullCommand} (picocli's parse) and
 * {@link dev.jpull.cli.startup.FastPull} (the picocli-free parse of the common form) both produce and
 * {@link PullCommand#pull} runs. FastPullTest checks that both parses give equal values.
 *
 * @param image       the IMAGE argument, as given
 * @param options     the connection, configuration, store and output options
 * @param concurrency {@code --concurrency}
 * @param quiet       {@code -q}
 * @param verify      {@code --verify}
 * @param into        {@code --containerd}, {@code --namespace}, {@code --snapshotter}, {@code --no-unpack}
 * @param hedging     {@code --hedge-delay}
 * @param platforms   {@code --platform} given more than once, {@code --all-platforms}
 */
public record PullRequest(String image, CommonOptions.Values options, int concurrency, boolean quiet,
                          boolean verify, Into into, Hedging hedging, Platforms platforms) {
    public PullRequest {
        platforms = platforms == null ? Platforms.ONE : platforms;
    }

    /** The request of {@code image} with every pull option at its default except the given ones. */
    public static PullRequest of(String image, CommonOptions.Values options, boolean verify) {
        return of(image, options, verify, false, Into.DEFAULT);
    }

    /** As {@link #of(String, CommonOptions.Values, boolean)}, with {@code -q} and a destination. */
    public static PullRequest of(String image, CommonOptions.Values options, boolean verify, boolean quiet,
                                 Into into) {
        return new PullRequest(image, options, Integer.parseInt(PullCommand.DEFAULT_CONCURRENCY), quiet, verify,
                into, Hedging.DEFAULT, Platforms.ONE);
    }

    /**
     * Which images of an index: every {@code --platform} given (when more than one: the image of each, the first
     * preferred), or {@code --all-platforms}; {@link #ONE}: the one of {@code --platform} (or the host's).
     */
    public record Platforms(java.util.List<String> named, boolean all) {
        public static final Platforms ONE = new Platforms(java.util.List.of(), false);

        public Platforms {
            named = java.util.List.copyOf(named);
        }
    }

    /**
     * Where the pull goes, as given: containerd's address ("" for the default socket, null when not given: then
     * {@code $JPULL_DESTINATION} decides), namespace (null: the default), snapshotter and whether to unpack.
     */
    public record Into(String containerd, String namespace, String snapshotter, boolean unpack) {
        public static final Into DEFAULT = new Into(null, null, PullCommand.DEFAULT_SNAPSHOTTER, true);
    }
}
