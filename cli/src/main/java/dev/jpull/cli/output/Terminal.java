package dev.jpull.cli.output;

import dev.jpull.cli.option.Env;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether the process's stderr (or stdout) is a terminal: progress bars or plain lines; no archive on a tty. */
public final class Terminal {
    private static final Path STDERR_LINK = Path.of("/proc/self/fd/2");
    private static final Path STDOUT_LINK = Path.of("/proc/self/fd/1");

    private Terminal() {
    }

    /**
     * On Linux, whether file descriptor 2 is a tty device ({@code /dev/pts/N}, {@code /dev/ttyN}, even when stdout
     * is redirected); elsewhere whether the JVM has a console. Never with {@code TERM=dumb} or with no
     * {@code TERM} at all (ANSI cursor movement would not work).
     */
    public static boolean isStderr(Env env) {
        String term = env.get("TERM");
        if (term == null || term.equals("dumb")) {
            return false;
        }
        return isTty(STDERR_LINK);
    }

    /**
     * Whether {@code fdLink} ({@code /proc/PID/fd/2} of a {@code jpull daemon} client) is a tty, as
     * {@link #isStderr} judges this process's stderr.
     */
    public static boolean isTerminal(Env env, Path fdLink) {
        String term = env.get("TERM");
        return term != null && !term.equals("dumb") && Files.isSymbolicLink(fdLink) && isTty(fdLink);
    }

    /**
     * Whether the process's stdout is a terminal, whatever {@code TERM} says: binary output ({@code save -o -})
     * is refused there, as {@code docker save} does.
     */
    public static boolean isStdout() {
        return isTty(STDOUT_LINK);
    }

    private static boolean isTty(Path fdLink) {
        if (Files.isSymbolicLink(fdLink)) {
            try {
                String target = Files.readSymbolicLink(fdLink).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
        return System.console() != null;
    }
}
