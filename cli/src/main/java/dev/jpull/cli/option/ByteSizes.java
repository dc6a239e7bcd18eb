package dev.jpull.cli.option;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Sizes as written on the command line ({@code --keep-storage}): bytes as a number, or with a suffix {@code k},
 * {@code m}, {@code g}, {@code t} (also {@code KB}/{@code KiB}, ... and {@code B}), every one binary (×1024), as
 * {@code docker builder prune --keep-storage} reads them: {@code 10GB} is 10 GiB. A fraction is allowed with a
 * suffix ({@code 1.5g}).
 */
public final class ByteSizes {
    private static final Pattern SIZE =
            Pattern.compile("(\\d{1,15})(\\.\\d{1,6})?\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib)?");

    private ByteSizes() {
    }

    /** Bytes of {@code value}, or -1 when it is not a size (or more than {@link Long#MAX_VALUE} bytes). */
    public static long parse(String value) {
        Matcher m = SIZE.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return -1;
        }
        String unit = m.group(3) == null ? "b" : m.group(3);
        int shift = switch (unit.charAt(0)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        if (m.group(2) != null && shift == 0) {
            return -1; // a fraction of a byte
        }
        BigDecimal bytes = new BigDecimal(m.group(1) + (m.group(2) == null ? "" : m.group(2)))
                .multiply(BigDecimal.valueOf(1L << shift));
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return -1;
        }
        return bytes.longValue(); // a fraction of a byte left by the fraction is dropped
    }

    /** picocli converter of {@link ByteSizes}. */
    public static final class Converter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            long n = parse(value);
            if (n < 0) {
                throw new TypeConversionException("'" + value + "' is not a size (expected bytes, or a number with "
                        + "k, m, g or t: 500m, 20g, 1.5t; binary, as docker's --keep-storage)");
            }
            return n;
        }
    }
}
