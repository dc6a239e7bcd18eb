package dev.jpull.cli.startup;

import dev.jpull.cli.option.Env;
import dev.jpull.cli.option.ByteRates;
import dev.jpull.cli.option.Durations;
import dev.jpull.cli.Main;
import dev.jpull.cli.command.ErrorHandler;
import dev.jpull.cli.command.PullCommand;
import dev.jpull.cli.option.CommonOptions;
import dev.jpull.cli.option.OutputFormat;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The most common command line,
 * {@code [pull] [--store DIR] [-c|--config FILE] [-o|--output text|json] [--verify] IMAGE},
 * parsed without picocli. Building picocli's command model costs about 0.1 s of a 0.3 s pull (its classes are
 * compiled for Java 5, so class-data sharing cannot archive them and the old verifier checks them). A pull parsed
 * here runs exactly what {@link PullCommand#call()} runs, with the defaults of the picocli options
 * ({@link CommonOptions}'s and {@link PullCommand}'s constants), and reports errors as {@link ErrorHandler} does.
 *
 * <p>{@link #parse} accepts only command lines whose meaning cannot depend on picocli's rules and returns null
 * for everything else, which then goes to picocli: every argument after {@code pull} must be one of the options
 * above (long ones also as {@code --store=DIR}; the flag {@code --verify} without a value), each at most once, with a value that is not empty, not a command
 * name and starts with neither {@code -} nor {@code @} (no option-like values, no {@code @argument-files}), plus
 * exactly one IMAGE that is not empty, starts with neither {@code -} nor {@code @} and is not a command name; no
 * {@code --}, no other options (so {@code --help}, {@code --debug}, usage errors all go to picocli); and no
 * {@code picocli.*} system property set (those change picocli's parsing). FastPullTest checks both parses agree.
 */
public final class FastPull {
    private final Path store;
    private final Path config;
    private final OutputFormat output;
    private final String image;
    private final boolean verify;

    private FastPull(Path store, Path config, OutputFormat output, String image, boolean verify) {
        this.verify = verify;
        this.store = store;
        this.config = config;
        this.output = output;
        this.image = image;
    }

    /**
     * The pull of {@code args} (already rewritten by {@link Main#withDefaultCommand}, so a pull starts with
     * {@code pull}), or null when picocli must parse it.
     */
    public static FastPull parse(String[] args) {
        if (args.length < 2 || !args[0].equals("pull") || picocliPropertySet()) {
            return null;
        }
        String store = null;
        String config = null;
        String output = null;
        String image = null;
        boolean verify = false;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--verify")) {
                if (verify) {
                    return null;
                }
                verify = true;
                continue;
            }
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            } else if (isOption(a)) {
                if (i + 1 >= args.length) {
                    return null;
                }
                value = args[++i];
            }
            if (!isOption(name)) {
                // a positional argument (IMAGE) or anything else picocli should judge
                if (!plain(a) || image != null || Main.COMMANDS.contains(a)) {
                    return null;
                }
                image = a;
                continue;
            }
            if (!plain(value) || Main.COMMANDS.contains(value)) {
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
                default -> {
                    if (output != null || !(value.equals("text") || value.equals("json"))) {
                        return null;
                    }
                    output = value;
                }
            }
        }
        if (image == null) {
            return null;
        }
        return new FastPull(store == null ? null : Path.of(store), config == null ? null : Path.of(config),
                OutputFormat.of(output == null ? CommonOptions.DEFAULT_OUTPUT : output), image, verify);
    }

    private static boolean isOption(String name) {
        return switch (name) {
            case "--store", "-c", "--config", "-o", "--output" -> true;
            default -> false;
        };
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

    /** The options picocli would have made of the same command line. */
    CommonOptions options() {
        CommonOptions o = new CommonOptions();
        o.store = store;
        o.config = config;
        o.output = output;
        o.connectTimeout = Durations.parse(CommonOptions.DEFAULT_CONNECT_TIMEOUT);
        o.tlsTimeout = Durations.parse(CommonOptions.DEFAULT_TLS_TIMEOUT);
        o.headerTimeout = Durations.parse(CommonOptions.DEFAULT_HEADER_TIMEOUT);
        o.readTimeout = Durations.parse(CommonOptions.DEFAULT_READ_TIMEOUT);
        o.speedLimit = ByteRates.parse(CommonOptions.DEFAULT_SPEED_LIMIT);
        o.speedTime = Durations.parse(CommonOptions.DEFAULT_SPEED_TIME);
        return o;
    }

    String image() {
        return image;
    }

    /** {@code --verify} was given. */
    boolean verify() {
        return verify;
    }

    /** Runs the pull; returns the exit code, having reported a failure on {@code err} as picocli's path does. */
    public int run(Env env, PrintWriter out, PrintWriter err, boolean terminal) {
        Warmup.start();
        try {
            return PullCommand.pull(env, options(), Integer.parseInt(PullCommand.DEFAULT_CONCURRENCY), false,
                    verify, terminal, image, out, err);
        } catch (Exception e) {
            return ErrorHandler.report(e, err, false);
        }
    }
}
