package dev.jpull.cli.command;

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
 */
public record PullRequest(String image, CommonOptions.Values options, int concurrency, boolean quiet,
                          boolean verify) {
    /** The request of {@code image} with every pull option at its default except the given ones. */
    public static PullRequest of(String image, CommonOptions.Values options, boolean verify) {
        return new PullRequest(image, options, Integer.parseInt(PullCommand.DEFAULT_CONCURRENCY), false, verify);
    }
}
