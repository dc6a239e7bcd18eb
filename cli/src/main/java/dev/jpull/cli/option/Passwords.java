package dev.jpull.cli.option;

import dev.jpull.cli.command.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Where a password comes from when it is not on the command line: the first line of stdin
 * ({@code --password-stdin}), or the terminal without echo ({@link Console#readPassword}). Without a terminal
 * (a script, CI, a test: {@link System#console()} is null) a missing password is a usage error, never a hang.
 * A password on the command line is warned about once. No password is ever printed.
 */
public final class Passwords {
    /** Longest first line read from stdin. */
    static final int MAX_LINE = 64 * 1024;

    /** The standard input read by {@code --password-stdin}; replaced by tests. */
    static volatile InputStream stdin = System.in;

    private Passwords() {
    }

    /** For tests: {@code --password-stdin} reads {@code in}; null restores {@link System#in}. */
    public static void stdinForTests(InputStream in) {
        stdin = in == null ? System.in : in;
    }

    /** The warning a password on the command line gets (once). */
    public static void warnCommandLine(String option, PrintWriter err) {
        err.println("jpull: warning: a password given with " + option + " is visible to other users in ps and "
                + "kept in shell history; use --password-stdin (or leave it out to be prompted)");
        err.flush();
    }

    /** The first line of stdin, without its line end. */
    public static String fromStdin() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            InputStream in = stdin;
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                if (line.size() >= MAX_LINE) {
                    throw new UsageException("--password-stdin: the first line of stdin is longer than "
                            + MAX_LINE + " bytes");
                }
                line.write(c);
            }
        } catch (IOException e) {
            throw new UsageException("--password-stdin: cannot read stdin: " + e.getClass().getSimpleName());
        }
        String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * The password of {@code user}, asked on the terminal without echo.
     *
     * @param how what to suggest when there is no terminal, e.g. {@code --creds USER:PASSWORD or --password-stdin}
     */
    public static String prompt(String user, String how) {
        Console console = System.console();
        if (console == null) {
            throw new UsageException("no password for user " + dev.jpull.Printable.escape(user)
                    + " and no terminal to ask for it: use " + how);
        }
        char[] pw = console.readPassword("Password for %s: ", dev.jpull.Printable.escape(user));
        if (pw == null) {
            throw new UsageException("no password for user " + dev.jpull.Printable.escape(user) + " (end of input)");
        }
        return new String(pw);
    }

    /** A user name asked on the terminal ({@code login} without {@code -u}). */
    public static String promptUser(String registry) {
        Console console = System.console();
        if (console == null) {
            throw new UsageException("no user name for " + dev.jpull.Printable.escape(registry)
                    + " and no terminal to ask for it: use -u USER");
        }
        String u = console.readLine("Username: ");
        if (u == null || u.isBlank()) {
            throw new UsageException("no user name for " + dev.jpull.Printable.escape(registry));
        }
        return u.strip();
    }
}
