package dev.jpull;

import java.nio.file.Path;

/**
 * Where something was written in a configuration file: 1-based line and column, 0 when unknown (then only the
 * file is named).
 */
public record ConfigLocation(Path file, int line, int column) {
    /** Only the file (position unknown). */
    public static ConfigLocation of(Path file) {
        return new ConfigLocation(file, 0, 0);
    }

    /** A warning at this location. */
    public ConfigWarning warning(String message) {
        return new ConfigWarning(file, line, column, message);
    }

    /** {@code FILE:LINE:COL}, leaving out what is unknown. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.valueOf(file));
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) {
                sb.append(':').append(column);
            }
        }
        return sb.toString();
    }
}
