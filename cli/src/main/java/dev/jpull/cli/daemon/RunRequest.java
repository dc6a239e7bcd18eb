package dev.jpull.cli.daemon;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the launcher sends to run one command line in the daemon (the body of {@code POST /v1/run}): NUL-terminated
 * fields, {@code jpull-run-1}, the client's process id (the launcher's shell: the daemon writes to its stdout and
 * stderr and resolves relative paths against its working directory), the argument count, the arguments, then
 * the client's environment as {@code NAME=VALUE} fields ({@code env -0}).
 *
 * @param pid  the client's process id
 * @param args the command line, as given to {@code jpull}
 * @param env  the client's environment
 */
record RunRequest(long pid, String[] args, Map<String, String> env) {
    static final String MAGIC = "jpull-run-1";
    private static final int MAX_ARGS = 4096;

    /** The request in {@code body}; throws IllegalArgumentException naming what is wrong with it. */
    static RunRequest parse(byte[] body) {
        List<String> fields = fields(body);
        if (fields.size() < 3 || !fields.get(0).equals(MAGIC)) {
            throw new IllegalArgumentException("not a " + MAGIC + " request");
        }
        long pid = number(fields.get(1), "process id");
        long argc = number(fields.get(2), "argument count");
        if (pid < 1 || argc > MAX_ARGS || 3 + argc > fields.size()) {
            throw new IllegalArgumentException("process id or argument count out of range");
        }
        String[] args = fields.subList(3, 3 + (int) argc).toArray(new String[0]);
        Map<String, String> env = new HashMap<>();
        for (String entry : fields.subList(3 + (int) argc, fields.size())) {
            int eq = entry.indexOf('=');
            if (eq > 0) { // env -0 prints only NAME=VALUE; anything else is skipped
                env.putIfAbsent(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return new RunRequest(pid, args, env);
    }

    private static List<String> fields(byte[] body) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < body.length; i++) {
            if (body[i] == 0) {
                out.add(new String(body, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start != body.length) {
            throw new IllegalArgumentException("the last field is not NUL-terminated");
        }
        return out;
    }

    private static long number(String s, String what) {
        if (s.isEmpty() || s.length() > 9 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("invalid " + what);
        }
        return Long.parseLong(s);
    }
}
