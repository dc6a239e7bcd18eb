package dev.jpull.cli.startup;

/**
 * Makes a command line picocli's shape, knowing only {@link ArgumentTable}: {@code pull} is inserted when no
 * subcommand is named but an IMAGE is given ({@code jpull alpine}, {@code jpull --store images alpine}), and a
 * subcommand named after options moves to the front ({@code jpull -c f.yaml resolve alpine}). The first word that
 * is no option and no option's value decides; command lines without one ({@code --help}, {@code --version},
 * nothing) are left to the top-level command. A first word that is no image reference (no {@code /}, {@code :},
 * {@code .} or {@code @}) but within edit distance 2 of a command (1 for a command of 4 letters or fewer) is a typo,
 * not a pull.
 *
 * @param args  the command line for picocli (or {@link FastPull}); null when {@code error} is set
 * @param error the usage error ({@code unknown command 'imagse'; did you mean 'images'?}), else null
 */
public record DefaultCommand(String[] args, String error) {
    private static final int MAX_TYPO_DISTANCE = 2;

    /** The command line {@code args} as picocli parses it, or the usage error that it is. */
    public static DefaultCommand of(String[] args) {
        boolean afterDoubleDash = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!afterDoubleDash && a.equals("--")) {
                afterDoubleDash = true;
            } else if (!afterDoubleDash && a.startsWith("-") && !a.equals("-")) {
                if (ArgumentTable.takesNextArgument(a, i + 1 < args.length ? args[i + 1] : null)) {
                    i++; // its value, whatever it looks like
                }
            } else if (!afterDoubleDash && ArgumentTable.isCommand(a)) {
                return new DefaultCommand(i == 0 ? args : moveToFront(args, i), null);
            } else {
                String near = afterDoubleDash ? null : nearestCommand(a);
                if (near != null) {
                    return new DefaultCommand(null, "unknown command '" + a + "'; did you mean '" + near + "'?");
                }
                return new DefaultCommand(withPull(args), null);
            }
        }
        return new DefaultCommand(args, null);
    }

    /** The command {@code word} is a typo of, or null when it is no near miss (or looks like an image reference). */
    static String nearestCommand(String word) {
        for (int i = 0; i < word.length(); i++) {
            if ("/:.@".indexOf(word.charAt(i)) >= 0) {
                return null;
            }
        }
        String best = null;
        int bestDistance = MAX_TYPO_DISTANCE + 1;
        for (String command : ArgumentTable.COMMANDS) {
            int d = distance(word, command);
            if (d <= maxDistance(command) && d < bestDistance) {
                best = command;
                bestDistance = d;
            }
        }
        return best;
    }

    /**
     * How far a typo of {@code command} may be: 2 edits, but 1 for a command of 4 letters or fewer, where two edits
     * leave half the word (real image names such as {@code perl} are 2 edits from {@code pull}).
     */
    static int maxDistance(String command) {
        return command.length() <= 4 ? 1 : MAX_TYPO_DISTANCE;
    }

    /** Levenshtein distance (insertions, deletions, substitutions). */
    public static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    private static String[] withPull(String[] args) {
        String[] rewritten = new String[args.length + 1];
        rewritten[0] = "pull";
        System.arraycopy(args, 0, rewritten, 1, args.length);
        return rewritten;
    }

    private static String[] moveToFront(String[] args, int index) {
        String[] rewritten = new String[args.length];
        rewritten[0] = args[index];
        System.arraycopy(args, 0, rewritten, 1, index);
        System.arraycopy(args, index + 1, rewritten, index + 1, args.length - index - 1);
        return rewritten;
    }
}
