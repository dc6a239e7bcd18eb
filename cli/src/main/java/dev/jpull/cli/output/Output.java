package dev.jpull.cli.output;

import dev.jpull.Printable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * The one sink of everything jpull prints on stdout and stderr: server, store and config text can reach the terminal
 * only through it, and it lets no control character through ({@link Printable}).
 * <ul>
 * <li>{@code println(x)} prints one line: every control character of {@code x}, line feeds included, is escaped
 * (a registry error message with {@code \r\n} cannot start a forged {@code jpull: pulled ...} line);</li>
 * <li>{@code print}, {@code write} and {@code printf} are for jpull's own multi-line text (help, tables, JSON whose
 * fields were escaped by their renderer): line feeds are kept, every other control character is escaped;</li>
 * <li>{@link #control} writes jpull's own control characters as they are (the progress bars' ANSI cursor movement,
 * the tabs of a {@code --debug} stack trace): the only way an ESC reaches the terminal.</li>
 * </ul>
 * Thread-safe as {@link PrintWriter} is; the lock is the escaping writer, shared by all three paths.
 */
public final class Output extends PrintWriter {
    private final Escaping escaping;

    private Output(Escaping escaping) {
        super(escaping, true);
        this.escaping = escaping;
    }

    /** A sink writing UTF-8 to {@code stream}, flushed at every line. */
    public static Output of(OutputStream stream) {
        return of(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
    }

    /** A sink writing to {@code raw}. */
    public static Output of(Writer raw) {
        return new Output(new Escaping(raw));
    }

    /**
     * Writes {@code sequence} of jpull's own (ANSI cursor movement) as it is when {@code w} is a sink, else prints
     * it (a test's plain writer).
     */
    public static void control(PrintWriter w, String sequence) {
        if (w instanceof Output o) {
            o.control(sequence);
        } else {
            w.print(sequence);
        }
    }

    /** Writes jpull's own terminal control {@code sequence} unescaped. */
    public void control(String sequence) {
        synchronized (lock) {
            try {
                escaping.writeRaw(sequence);
            } catch (IOException e) {
                setError();
            }
        }
    }

    @Override
    public void println(String x) {
        synchronized (lock) {
            print(x == null ? "null" : Printable.escape(x));
            println();
        }
    }

    @Override
    public void println(Object x) {
        println(String.valueOf(x));
    }

    @Override
    public void println(char[] x) {
        println(new String(x));
    }

    /**
     * Escapes every unsafe character but the line feed on its way to the raw writer. A surrogate pair split
     * between two writes is joined; a lone surrogate is escaped.
     */
    private static final class Escaping extends Writer {
        private final Writer raw;
        private char pendingHigh;

        Escaping(Writer raw) {
            this.raw = raw;
        }

        @Override
        public void write(char[] buf, int off, int len) throws IOException {
            StringBuilder sb = new StringBuilder(len + 8);
            for (int i = off; i < off + len; i++) {
                char c = buf[i];
                if (pendingHigh != 0) {
                    char high = pendingHigh;
                    pendingHigh = 0;
                    if (Character.isLowSurrogate(c)) {
                        Printable.appendCodePoint(sb, Character.toCodePoint(high, c));
                        continue;
                    }
                    Printable.appendCodePoint(sb, high);
                }
                if (Character.isHighSurrogate(c)) {
                    pendingHigh = c;
                } else if (c == '\n') {
                    sb.append('\n');
                } else {
                    Printable.appendCodePoint(sb, c);
                }
            }
            raw.write(sb.toString());
        }

        void writeRaw(String sequence) throws IOException {
            endPending();
            raw.write(sequence);
            raw.flush();
        }

        @Override
        public void flush() throws IOException {
            raw.flush();
        }

        @Override
        public void close() throws IOException {
            endPending();
            raw.close();
        }

        private void endPending() throws IOException {
            if (pendingHigh != 0) {
                StringBuilder sb = new StringBuilder();
                Printable.appendCodePoint(sb, pendingHigh);
                pendingHigh = 0;
                raw.write(sb.toString());
            }
        }
    }
}
