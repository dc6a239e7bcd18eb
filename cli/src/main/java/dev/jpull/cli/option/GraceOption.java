package dev.jpull.cli.option;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Option;

/** {@code --grace} of the long-running commands ({@code serve}, {@code daemon}). */
public final class GraceOption {
    @Option(names = "--grace", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "30s",
            description = "On SIGTERM or SIGINT, how long the work in progress (serve: requests; daemon: pulls) may "
                    + "take to finish. Default: ${DEFAULT-VALUE}.")
    public Duration grace;

    /** Blocks until the process gets SIGTERM or SIGINT (then the command stops, granting {@link #grace}). */
    public static void awaitStopSignal() throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        for (String signal : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> stop.countDown());
        }
        stop.await();
    }
}
