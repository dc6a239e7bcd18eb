package dev.jpull.cli.command;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** What {@code config render --format} writes. */
enum RenderFormat {
    /** {@code config.toml} and {@code certs.d/<registry>/hosts.toml}, for containerd's {@code config_path}. */
    CONTAINERD,
    /** {@code registries.yaml}, for K3s. */
    REGISTRIES_YAML;

    /** The spelling on the command line. */
    String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses {@code containerd} or {@code registries-yaml}. */
    static final class Converter implements ITypeConverter<RenderFormat> {
        @Override
        public RenderFormat convert(String value) {
            for (RenderFormat f : values()) {
                if (f.label().equals(value)) {
                    return f;
                }
            }
            throw new TypeConversionException("'" + value + "' is not a render format (expected containerd or "
                    + "registries-yaml)");
        }
    }

    /** The labels, for help and completion. */
    static final class Candidates implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of(CONTAINERD.label(), REGISTRIES_YAML.label()).iterator();
        }
    }
}
