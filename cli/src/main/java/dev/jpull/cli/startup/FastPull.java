package dev.jpull.cli.startup;

import dev.jpull.cli.command.ErrorHandler;
import dev.jpull.cli.command.PullCommand;
import dev.jpull.cli.command.PullRequest;
import dev.jpull.cli.option.CommonOptions;
import dev.jpull.cli.option.Env;
import dev.jpull.cli.option.OutputFormat;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The most common command line,
 * {@code [pull] [--store DIR] [-c|--config FILE] [-o|--output text|json] [--verify] [-q|--quiet]
 * [--containerd [ADDRESS]] [--namespace NS] IMAGE},
 * parsed without picocli. Building picocli's command model costs about 0.1 s of a 0.3 s pull (its classes are
 * compiled for Java 5, so class-data sharing cannot archive them and the old verifier checks them). A pull parsed
 * here is the same {@link PullRequest} picocli's parse gives ({@link PullCommand#request()}), run by the same
 * {@link PullCommand#pull}, and errors are reported as {@link ErrorHandler} does.
 *
 * <p>{@link #parse} accepts only command lines whose meaning cannot depend on picocli's rules and returns null
 * for everything else, which then goes to picocli: every argument after {@code pull} must be one of the options
 * above (long ones also as {@code --store=DIR}; the flags {@code --verify} and {@code -q} without a value;
 * {@code --containerd} followed by its ADDRESS only when that looks like a socket path), each at most once, with
 * a value that is not empty and starts with neither {@code -} nor {@code @} (no option-like values, no
 * {@code @argument-files}), plus exactly one IMAGE that is not empty, starts with neither {@code -} nor {@code @}
 * and is not a command name; no {@code --}, no other options (so {@code --help}, {@code --debug}, usage errors all
 * go to picocli); and no {@code picocli.*} system property set (those change picocli's parsing). Which options
 * take a value is {@link ArgumentTable}'s. FastPullTest checks both parses agree.
 */
public final class FastPull {
    private final PullRequest request;

    private FastPull(PullRequest request) {
        this.request = request;
    }

    /**
     * The pull of {@code args} (already rewritten by {@link DefaultCommand}, so a pull starts with {@code pull}), or
     * null when picocli must parse it.
     */
    public static FastPull parse(String[] args) {
        return parse(args, null);
    }

    /**
     * As {@link #parse(String[])}, for a command line given in another directory ({@code jpull daemon}'s client):
     * a relative {@code --store} or {@code --config} is resolved against {@code cwd} (null: this process's).
     */
    public static FastPull parse(String[] args, Path cwd) {
        if (args.length < 2 || !args[0].equals("pull") || picocliPropertySet()) {
            return null;
        }
        String store = null;
        String config = null;
        String output = null;
        String image = null;
        boolean verify = false;
        boolean quiet = false;
        String containerd = null;
        String namespace = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--verify")) {
                if (verify) {
                    return null;
                }
                verify = true;
                continue;
            }
            if (a.equals("-q") || a.equals("--quiet")) {
                if (quiet) {
                    return null;
                }
                quiet = true;
                continue;
            }
            if (a.equals("--containerd")) {
                if (containerd != null) {
                    return null;
                }
                // the optional ADDRESS only when it looks like a socket path, as ContainerdOption takes it
                boolean address = i + 1 < args.length && ArgumentTable.looksLikeSocket(args[i + 1]);
                containerd = address ? args[++i] : "";
                continue;
            }
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            } else if (ArgumentTable.OPTIONS_WITH_VALUE.contains(a)) {
                if (i + 1 >= args.length) {
                    return null;
                }
                value = args[++i];
            }
            if (value == null) {
                // a positional argument (IMAGE) or anything else picocli should judge
                if (!plain(a) || image != null || ArgumentTable.isCommand(a)) {
                    return null;
                }
                image = a;
                continue;
            }
            if (!plain(value)) {
                return null;
            }
            switch (name) {
                case "--store" -> {
                    if (store != null) {
                        return null;
                    }
                    store = value;
                }
                case "-c", "--config" -> {
                    if (config != null) {
                        return null;
                    }
                    config = value;
                }
                case "--namespace" -> {
                    if (namespace != null) {
                        return null;
                    }
                    namespace = value;
                }
                case "-o", "--output" -> {
                    if (output != null || !(value.equals("text") || value.equals("json"))) {
                        return null;
                    }
                    output = value;
                }
                default -> {
                    return null; // an option picocli must parse (--platform, --read-timeout=1s, ...)
                }
            }
        }
        if (image == null) {
            return null;
        }
        CommonOptions.Values options = CommonOptions.Values.defaults(path(cwd, store), path(cwd, config),
                OutputFormat.of(output == null ? CommonOptions.DEFAULT_OUTPUT : output));
        PullRequest.Into into = containerd == null && namespace == null ? PullRequest.Into.DEFAULT
                : new PullRequest.Into(containerd, namespace, PullCommand.DEFAULT_SNAPSHOTTER, true);
        return new FastPull(PullRequest.of(image, options, verify, quiet, into));
    }

    private static Path path(Path cwd, String value) {
        return value == null ? null : cwd == null ? Path.of(value) : cwd.resolve(value);
    }

    /** Not empty, not option-like, not an {@code @file}. */
    private static boolean plain(String value) {
        return !value.isEmpty() && value.charAt(0) != '-' && value.charAt(0) != '@';
    }

    private static boolean picocliPropertySet() {
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("picocli.")) {
                return true;
            }
        }
        return false;
    }

    /** The pull picocli would have made of the same command line. */
    public PullRequest request() {
        return request;
    }

    /** Runs the pull; returns the exit code, having reported a failure on {@code err} as picocli's path does. */
    public int run(Env env, PrintWriter out, PrintWriter err, boolean terminal) {
        try {
            return PullCommand.pull(env, request, terminal, out, err);
        } catch (Exception e) {
            return ErrorHandler.report(e, err, false);
        }
    }
}
