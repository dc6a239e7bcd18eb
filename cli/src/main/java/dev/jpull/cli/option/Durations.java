package dev.jpull.cli.option;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written on the command line: {@code 500ms}, {@code 5s}, {@code 1m}, {@code 1h}; {@code 0} means no
 * limit. Without picocli types, for {@link dev.jpull.cli.startup.FastPull}; {@link DurationConverter} is the picocli
 * face of it.
 */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private Durations() {
    }

    /** The duration {@code value}, or null when it is not one. */
    public static Duration parse(String value) {
        if ("0".equals(value)) {
            return Duration.ZERO;
        }
        Matcher m = DURATION.matcher(value);
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
