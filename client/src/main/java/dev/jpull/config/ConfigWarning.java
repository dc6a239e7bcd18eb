package dev.jpull.config;

import java.nio.file.Path;

/** A non-fatal problem in a configuration file (e.g. an unknown key K3s would silently ignore). */
public record ConfigWarning(Path file, int line, int column, String message) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": warning: " + message;
    }
}
