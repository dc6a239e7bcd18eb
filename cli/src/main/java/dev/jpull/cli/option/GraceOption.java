package dev.jpull.cli.option;

import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --grace} of the long-running commands ({@code serve}, {@code daemon}). */
public final class GraceOption {
    @Option(names = "--grace", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "30s",
            description = "On SIGTERM or SIGINT, how long the work in progress (serve: requests; daemon: pulls) may "
                    + "take to finish. Default: ${DEFAULT-VALUE}.")
    public Duration grace;
}
