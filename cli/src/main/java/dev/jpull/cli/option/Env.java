package dev.jpull.cli.option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What the command line reads from its surroundings: environment variables, the home directory and whether a
 * file exists. Injectable so that tests do not depend on the machine they run on.
 *
 * @param variables  environment lookup, returning null when a variable is unset
 * @param home       the user's home directory
 * @param fileExists whether a regular file exists (used for {@code /etc/rancher/k3s/registries.yaml})
 * @param cwd        the caller's working directory (absolute), against which relative file names inside
 *                   configuration files are resolved; null: this process's ({@code jpull daemon} runs pulls for
 *                   processes elsewhere)
 */
public record Env(Function<String, String> variables, Path home, Predicate<Path> fileExists, Path cwd) {
    public Env {
        Objects.requireNonNull(variables, "variables");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(fileExists, "fileExists");
        if (cwd != null && !cwd.isAbsolute()) {
            throw new IllegalArgumentException("not an absolute working directory: " + cwd);
        }
    }

    /** This process's working directory. */
    public Env(Function<String, String> variables, Path home, Predicate<Path> fileExists) {
        this(variables, home, fileExists, null);
    }

    /**
     * The real process environment. Plain classes, not method references: this runs first in every start, and the
     * first lambda of a run costs the JVM a few milliseconds of method-handle set-up unless a class-data archive
     * holds it.
     */
    public static Env system() {
        return new Env(SystemVariables.INSTANCE, Path.of(System.getProperty("user.home")), RegularFiles.INSTANCE);
    }

    private enum SystemVariables implements Function<String, String> {
        INSTANCE;

        @Override
        public String apply(String name) {
            return System.getenv(name);
        }
    }

    private enum RegularFiles implements Predicate<Path> {
        INSTANCE;

        @Override
        public boolean test(Path file) {
            return Files.isRegularFile(file);
        }
    }

    /**
     * Another process's environment ({@code jpull daemon}'s client): its variables, home and working directory, and
     * the real file system; {@link #all} is {@code vars}.
     */
    public static Env process(Map<String, String> vars, Path home, Path cwd) {
        return new Env(new ProcessVariables(Map.copyOf(vars)), home, RegularFiles.INSTANCE, cwd);
    }

    /** The variables of another process, as a whole. */
    private record ProcessVariables(Map<String, String> map) implements Function<String, String> {
        @Override
        public String apply(String name) {
            return map.get(name);
        }
    }

    /**
     * Every variable: this process's ({@link #system}), or the client's ({@link #process}); null for a fixed test
     * environment (whose credential helpers and proxies then come from this process).
     */
    public Map<String, String> all() {
        if (variables == SystemVariables.INSTANCE) {
            return System.getenv();
        }
        return variables instanceof ProcessVariables p ? p.map() : null;
    }

    /** A fixed environment (tests): {@code vars}, {@code home}, and no file exists. */
    public static Env of(Map<String, String> vars, Path home) {
        return new Env(Map.copyOf(vars)::get, home, p -> false);
    }

    /** The value of {@code name}, or null when unset or empty. */
    public String get(String name) {
        String v = variables.apply(name);
        return v == null || v.isEmpty() ? null : v;
    }
}
