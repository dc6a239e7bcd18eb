package dev.jpull.cli.option;

import dev.jpull.ConfigException;
import dev.jpull.internal.pull.PlatformMatcher;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Checks {@code --platform OS/ARCH[/VARIANT]} with the library's own parser, which normalises as containerd does
 * ({@code Linux/x86_64} is {@code linux/amd64}, {@code linux/Aarch64} is {@code linux/arm64}); the value is passed
 * on as written.
 */
public final class PlatformConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
        try {
            PlatformMatcher.forSpec(value == null || value.isBlank() ? "-" : value);
        } catch (ConfigException e) {
            throw new TypeConversionException(
                    "'" + value + "' is not a platform (expected OS/ARCH[/VARIANT], e.g. linux/amd64 or linux/arm/v7)");
        }
        return value;
    }
}
