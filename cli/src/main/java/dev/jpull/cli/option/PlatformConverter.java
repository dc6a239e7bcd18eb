package dev.jpull.cli.option;

import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Checks the shape of {@code --platform OS/ARCH[/VARIANT]}, e.g. {@code linux/arm64/v8}. */
public final class PlatformConverter implements ITypeConverter<String> {
    private static final Pattern PLATFORM = Pattern.compile("[a-z0-9._-]+/[a-z0-9._-]+(/[a-z0-9._-]+)?");

    @Override
    public String convert(String value) {
        if (!PLATFORM.matcher(value).matches()) {
            throw new TypeConversionException(
                    "'" + value + "' is not a platform (expected OS/ARCH[/VARIANT], e.g. linux/amd64 or linux/arm/v7)");
        }
        return value;
    }
}
