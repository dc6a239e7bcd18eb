package dev.jpull.cli.option;

import dev.jpull.Hedging;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converter of {@code --hedge-delay}: {@code auto} (adaptive, at least 300 ms: {@link Hedging#DEFAULT}), a
 * duration (a fixed delay: {@link Hedging#fixed}), or {@code 0} (no hedging, no stall or slow rule:
 * {@link Hedging#OFF}).
 */
public final class HedgeDelayConverter implements ITypeConverter<Hedging> {
    /** The default, as written on the command line. */
    public static final String AUTO = "auto";

    @Override
    public Hedging convert(String value) {
        if (value.equals(AUTO)) {
            return Hedging.DEFAULT;
        }
        java.time.Duration d = Durations.parse(value);
        if (d == null) {
            throw new TypeConversionException("'" + value + "' is not a hedge delay (expected auto, 0 or a duration "
                    + "with unit ms, s, m or h, e.g. 300ms, 1s)");
        }
        return Hedging.fixed(d);
    }
}
