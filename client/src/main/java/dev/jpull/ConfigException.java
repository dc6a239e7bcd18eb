package dev.jpull;

import java.nio.file.Path;

/** An unreadable or malformed configuration file; names the file and, when known, line and column (1-based). */
public final class ConfigException extends UsageException {
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
