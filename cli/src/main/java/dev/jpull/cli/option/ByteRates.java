package dev.jpull.cli.option;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Byte rates as written on the command line ({@code --speed-limit}): bytes per second as a plain integer
 * ({@code 1024}), or with a binary suffix {@code k}/{@code KiB} (×1024) or {@code m}/{@code MiB} (×1024²), as curl
 * reads {@code k} and {@code m}; {@code 0} turns the limit off. Without picocli types for
 * {@link dev.jpull.cli.startup.FastPull}; {@link Converter} is the picocli face.
 */
public final class ByteRates {
    private static final Pattern RATE = Pattern.compile("(\\d{1,12})(k|kib|m|mib)?");

    private ByteRates() {
    }

    /** Bytes per second of {@code value}, or -1 when it is not a byte rate. */
    public static long parse(String value) {
        Matcher m = RATE.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return -1;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        return switch (unit) {
            case "k", "kib" -> n * 1024;
            case "m", "mib" -> n * 1024 * 1024;
            default -> n;
        };
    }

    /** picocli converter of {@link ByteRates}. */
    public static final class Converter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            long n = parse(value);
            if (n < 0) {
                throw new TypeConversionException("'" + value + "' is not a byte rate (expected bytes per second, "
                        + "e.g. 1024, 1k, 64KiB, 1m; 0 = no limit)");
            }
            return n;
        }
    }
}
