package dev.jpull;

import java.nio.file.Path;

/**
 * The configuration jpull was given is unusable: an unreadable or malformed configuration file (named, with line
 * and column when known, 1-based), a TLS file it names, a proxy variable of the environment, or a setting of the
 * builder ({@code platform}) that cannot be parsed.
 */
public final class ConfigException extends JpullException {
    private final Path file;
    private final int line;
    private final int column;

    public ConfigException(Path file, int line, int column, String problem) {
        super(format(file, line, column, problem));
        this.file = file;
        this.line = line;
        this.column = column;
    }

    public ConfigException(Path file, String problem) {
        this(file, 0, 0, problem);
    }

    /** A problem that is not at a place in a configuration file; {@link #file()} is null. */
    public ConfigException(String message) {
        this(message, null);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
        this.file = null;
        this.line = 0;
        this.column = 0;
    }

    private static String format(Path file, int line, int column, String problem) {
        StringBuilder sb = new StringBuilder(String.valueOf(file));
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) {
                sb.append(':').append(column);
            }
        }
        return sb.append(": ").append(problem).toString();
    }

    /** The configuration file at fault, null when the problem is not in a file. */
    public Path file() {
        return file;
    }

    /** 1-based line, 0 when unknown. */
    public int line() {
        return line;
    }

    /** 1-based column, 0 when unknown. */
    public int column() {
        return column;
    }
}
