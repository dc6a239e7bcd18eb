package dev.jpull.cli.option;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converter of {@link Durations}: {@code 500ms}, {@code 5s}, {@code 1m}, {@code 1h}; {@code 0} means no limit. */
public final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        Duration d = Durations.parse(value);
        if (d == null) {
            throw new TypeConversionException(
                    "'" + value + "' is not a duration (expected a number with unit ms, s, m or h, e.g. 500ms, 5s, 1m)");
        }
        return d;
    }
}
