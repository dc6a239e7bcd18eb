package dev.jpull.cli.startup;

import java.util.List;
import java.util.Set;

/**
 * What start-up needs to know of picocli's command model, without loading picocli: the names of the commands and
 * the options that take a value. {@link DefaultCommand} (which inserts {@code pull}) and {@link FastPull} (which
 * parses the common pull without picocli) both read it. ArgumentTableTest asserts it equals the picocli model of
 * {@code JpullCommand}: a new command or a new option with a value must be added here, or that test fails.
 */
public final class ArgumentTable {
    /** The names that select a subcommand of {@code jpull}, sorted (the order of did-you-mean ties). */
    public static final List<String> COMMANDS = List.of("completion", "config", "daemon", "diagnose", "digest", "help",
            "images", "inspect", "load", "login", "logout", "prune", "pull", "resolve", "rmi", "save", "serve",
            "tags", "verify");

    /** Every option, of any command, that takes a value (none of them takes a value in one command only). */
    public static final Set<String> OPTIONS_WITH_VALUE = Set.of("-c", "--config", "-o", "--output", "--store",
            "--hosts-dir", "--containerd-config", "--platform", "--connect-timeout", "--tls-timeout",
            "--header-timeout", "--read-timeout", "--speed-limit", "--speed-time", "--concurrency", "--output-dir",
            "--namespace", "--snapshotter", "--older-than", "--hedge-delay", "--memory-ttl", "--listen",
            "--default-registry", "--max-downloads", "--grace", "--stream-after", "--local-mirror", "--format",
            "--page-size", "--socket", "--max-runs", "--keep-storage", "--creds", "--authfile", "-u", "--username", "-p", "--password");

    /**
     * Options whose value is optional: {@code --containerd [ADDRESS]} takes the next argument only when it looks
     * like a socket path ({@link #looksLikeSocket}), so that {@code --containerd IMAGE} keeps IMAGE.
     */
    public static final Set<String> OPTIONS_WITH_OPTIONAL_VALUE = Set.of("--containerd");

    private static final Set<String> COMMAND_SET = Set.copyOf(COMMANDS);

    private ArgumentTable() {
    }

    /** {@code word} names a subcommand of {@code jpull}. */
    public static boolean isCommand(String word) {
        return COMMAND_SET.contains(word);
    }

    /** {@code arg} is a socket path as an optional value: {@code /...}, {@code ./...}, {@code ../...}, {@code unix:...}. */
    public static boolean looksLikeSocket(String arg) {
        return arg.startsWith("/") || arg.startsWith("./") || arg.startsWith("../") || arg.startsWith("unix:");
    }

    /** As {@link #takesNextArgument(String)}, and an optional value when {@code next} looks like one. */
    public static boolean takesNextArgument(String arg, String next) {
        return takesNextArgument(arg) || OPTIONS_WITH_OPTIONAL_VALUE.contains(arg) && next != null
                && looksLikeSocket(next);
    }

    /**
     * Whether the option word {@code arg} consumes the next argument as its value: an option with a value given
     * without {@code =VALUE}, or a cluster of short options ({@code -qo}) that ends with one.
     */
    public static boolean takesNextArgument(String arg) {
        if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
            return false;
        }
        if (OPTIONS_WITH_VALUE.contains(arg)) {
            return true;
        }
        if (arg.startsWith("--")) {
            return false; // --name=value, or an option without value
        }
        for (int i = 1; i < arg.length(); i++) {
            if (OPTIONS_WITH_VALUE.contains("-" + arg.charAt(i))) {
                return i == arg.length() - 1; // -qo VALUE, or the value attached (-ojson)
            }
        }
        return false;
    }
}
