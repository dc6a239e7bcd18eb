package dev.jpull.cli.output;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Byte counts for people, one style everywhere jpull prints one (pull's summary and progress, images, prune, the
 * ingest line): crictl's and docker's, decimal units with up to 4 significant digits and no space, {@code 812B},
 * {@code 3.148MB}, {@code 1GB}.
 */
public final class Sizes {
    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB"};

    private Sizes() {
    }

    /** E.g. {@code 5.12MB}, {@code 812B}; {@code 999.95kB} rounds up to {@code 1MB}. */
    public static String human(long bytes) {
        double value = bytes;
        int unit = 0;
        while (value >= 1000 && unit < UNITS.length - 1) {
            value /= 1000;
            unit++;
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(4));
        if (rounded.compareTo(BigDecimal.valueOf(1000)) >= 0 && unit < UNITS.length - 1) {
            rounded = rounded.movePointLeft(3).round(new MathContext(4));
            unit++;
        }
        return rounded.stripTrailingZeros().toPlainString() + UNITS[unit];
    }
}
