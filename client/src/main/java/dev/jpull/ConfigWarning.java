package dev.jpull;

import java.nio.file.Path;

/** A non-fatal problem in a configuration file (e.g. an unknown key K3s would silently ignore). */
public record ConfigWarning(Path file, int line, int column, String message) {
    /** {@code FILE:LINE:COL: MESSAGE}; line and column are left out when unknown (0), the file when null. */
    public String located() {
        return file == null ? message : new ConfigLocation(file, line, column) + ": " + message;
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": warning: " + message;
    }
}
