package dev.jpull.cli;

import dev.jpull.cli.option.Env;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** One in-process run of jpull with captured stdout and stderr. */
public record CliRun(int exitCode, String out, String err) {

    /** Runs {@code args} with no environment variables, {@code home} as home directory, and no k3s config. */
    public static CliRun run(Path home, String... args) {
        return run(Env.of(Map.of("JPULL_STORE", home.resolve("store").toString()), home), args);
    }

    public static CliRun run(Env env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The lines of stderr. */
    public String[] errLines() {
        return err.isEmpty() ? new String[0] : err.split("\\R");
    }
}
