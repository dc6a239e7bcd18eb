package dev.jpull.cli.output;

import dev.jpull.Jpull;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

/**
 * What a pull stopped by SIGINT (Ctrl-C) or SIGTERM ({@code kill}) says on its way out: one line naming what is kept
 * for the next run to resume, e.g. {@code jpull: interrupted: 143.0 MB of 2 blobs kept in /s/ingest; run the same
 * command to continue}. A JVM shutdown hook, installed for the duration of one pull; the JVM's exit code stays
 * 128 + the signal (130, 143).
 */
public final class InterruptNotice implements AutoCloseable {
    /** Where the pulls of this thread register their notice instead of the JVM's hooks ({@code jpull daemon}). */
    private static final ThreadLocal<Hooks> HOOKS = new ThreadLocal<>();

    private final Thread hook;
    private final Hooks hooks;

    private InterruptNotice(Thread hook, Hooks hooks) {
        this.hook = hook;
        this.hooks = hooks;
    }

    /**
     * What runs the notice when the pull is stopped, for a pull that does not own its JVM: {@code jpull daemon}
     * runs it when its client goes away (Ctrl-C or {@code kill} of the client).
     */
    public interface Hooks {
        /** A pull started: on a stop, run {@code notice}, then {@link Jpull#cancel} {@code client}. */
        void add(Runnable notice, Jpull client);

        void remove(Runnable notice);
    }

    /** The pulls this thread runs from now on register their notice with {@code hooks} (null: the JVM's again). */
    public static void useHooks(Hooks hooks) {
        if (hooks == null) {
            HOOKS.remove();
        } else {
            HOOKS.set(hooks);
        }
    }

    /**
     * @param ingest      the store's {@code ingest/} directory, where partial blobs stay; null for containerd
     * @param containerd  where containerd keeps them ({@code containerd://...}), when {@code ingest} is null
     * @param client      the client of the pull, cancelled by {@link Hooks} after the notice
     */
    public static InterruptNotice install(PullTracker tracker, Path ingest, String containerd, ProgressRenderer progress,
                                   PrintWriter err, Jpull client) {
        Thread hook = new Thread(() -> {
            if (progress != null) {
                progress.finish(); // the bars off the screen first
            }
            synchronized (err) {
                err.println("jpull: " + message(tracker.unfinished(), ingest, containerd));
                err.flush();
            }
        }, "jpull-interrupt");
        Hooks hooks = HOOKS.get();
        if (hooks != null) {
            hooks.add(hook, client); // a Thread is a Runnable: run() runs the notice on the caller's thread
        } else {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        return new InterruptNotice(hook, hooks);
    }

    /** The line, without {@code jpull: }. */
    static String message(Map<String, Long> unfinished, Path ingest, String containerd) {
        long bytes = 0;
        int blobs = 0;
        for (Map.Entry<String, Long> e : unfinished.entrySet()) {
            // the store: what is on disk (the events count bytes still in the download's buffer)
            long kept = ingest != null ? partialSize(ingest, e.getKey()) : e.getValue();
            if (kept > 0) {
                bytes += kept;
                blobs++;
            }
        }
        if (blobs == 0) {
            return "interrupted before any blob data was kept; run the same command to pull again";
        }
        String what = TraceListener.bytes(bytes) + " of " + blobs + (blobs == 1 ? " blob" : " blobs");
        return "interrupted: " + (ingest != null ? what + " kept in " + ingest
                : "up to " + what + " kept in containerd's ingest (" + containerd + ")")
                + "; run the same command to continue";
    }

    /** Size of {@code ingest/<algorithm>-<hex>.partial}, 0 when there is none (links are not followed). */
    private static long partialSize(Path ingest, String digest) {
        try {
            BasicFileAttributes a = Files.readAttributes(ingest.resolve(digest.replace(':', '-') + ".partial"),
                    BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile() ? a.size() : 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The pull is over: no notice any more. */
    @Override
    public void close() {
        if (hooks != null) {
            hooks.remove(hook);
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down already: the hook runs
        }
    }
}
