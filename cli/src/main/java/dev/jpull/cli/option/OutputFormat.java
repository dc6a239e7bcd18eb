package dev.jpull.cli.option;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Format of the result on stdout ({@code -o, --output}). */
public enum OutputFormat {
    TEXT, JSON;

    /** The spelling on the command line. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format spelled {@code label} on the command line, or null. */
    public static OutputFormat of(String label) {
        for (OutputFormat f : values()) {
            if (f.label().equals(label)) {
                return f;
            }
        }
        return null;
    }

    /** Parses {@code text} or {@code json}. */
    public static final class Converter implements ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            OutputFormat f = of(value);
            if (f != null) {
                return f;
            }
            throw new TypeConversionException("'" + value + "' is not an output format (expected text or json)");
        }
    }

    /** {@code text}, {@code json} for help and completion. */
    public static final class Candidates implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of(TEXT.label(), JSON.label()).iterator();
        }
    }
}
