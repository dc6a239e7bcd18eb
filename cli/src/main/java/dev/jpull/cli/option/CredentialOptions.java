package dev.jpull.cli.option;

import dev.jpull.cli.command.UsageException;
import dev.jpull.spi.CredentialSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --creds USER[:PASSWORD]}, {@code --password-stdin}, {@code --authfile FILE} of the commands that talk to
 * registries (part of {@link CommonOptions}). {@code --creds} go to the image's registry only (its own endpoints,
 * never a mirror on another host: {@link CredentialSource#forImageRegistry}), ahead of every file.
 */
public final class CredentialOptions {
    /** Environment variables the credential chain reads (and a credential helper's {@code PATH}). */
    private static final List<String> CREDENTIAL_VARIABLES = List.of("REGISTRY_AUTH_FILE", "XDG_RUNTIME_DIR",
            "XDG_CONFIG_HOME", "DOCKER_CONFIG", "DOCKER_AUTH_CONFIG", "PATH");

    @Option(names = "--creds", paramLabel = "USER[:PASSWORD]",
            description = "Credentials for the image's registry for this run, as skopeo's and crictl's: sent to the "
                    + "registry's own endpoints (and its token service), never to mirrors on other hosts. Without "
                    + ":PASSWORD it is asked on the terminal, or read with --password-stdin.")
    String creds;

    @Mixin
    public PasswordStdinOption passwordStdinOption = new PasswordStdinOption();

    @Mixin
    public AuthFileOption authFileOption = new AuthFileOption();

    /**
     * What was given, as a value ({@link CommonOptions.Values}); {@link #toString()} never shows a password.
     *
     * @param creds         {@code --creds} as given, or null
     * @param passwordStdin {@code --password-stdin}
     * @param authFile      {@code --authfile}, or null
     */
    public record Given(String creds, boolean passwordStdin, Path authFile) {
        public static final Given NONE = new Given(null, false, null);

        @Override
        public String toString() {
            String shown = creds == null ? null : creds.contains(":")
                    ? creds.substring(0, creds.indexOf(':')) + ":***" : creds;
            return "Given[creds=" + shown + ", passwordStdin=" + passwordStdin + ", authFile=" + authFile + "]";
        }
    }

    public Given given() {
        return new Given(creds, passwordStdinOption.passwordStdin, authFileOption.authFile);
    }

    /** Options holding {@code g}. */
    public static CredentialOptions of(Given g) {
        CredentialOptions o = new CredentialOptions();
        o.creds = g.creds();
        o.passwordStdinOption.passwordStdin = g.passwordStdin();
        o.authFileOption.authFile = g.authFile();
        return o;
    }

    /**
     * The credential chain of this run: {@code --creds} for the image's registry first, then registries.yaml
     * {@code configs}, then {@code --authfile} or the default files (containers auth.json, Docker's config.json)
     * of {@code env}. Reads the password (stdin or terminal) here, once; a password on the command line is warned
     * about on {@code err}.
     *
     * @throws UsageException when a password is needed and cannot be had
     */
    public CredentialSource source(Env env, PrintWriter err) {
        Given g = given();
        Map<String, String> vars = credentialEnv(env);
        CredentialSource files = CredentialSource.standard(vars, env.home(), g.authFile());
        if (g.creds() == null) {
            if (g.passwordStdin()) {
                throw new UsageException("--password-stdin needs --creds USER");
            }
            return files;
        }
        int colon = g.creds().indexOf(':');
        String user = colon < 0 ? g.creds() : g.creds().substring(0, colon);
        if (user.isEmpty()) {
            throw new UsageException("invalid --creds: expected USER[:PASSWORD] with a user name");
        }
        String password;
        if (colon >= 0) {
            if (g.passwordStdin()) {
                throw new UsageException("--creds USER:PASSWORD and --password-stdin cannot be used together");
            }
            password = g.creds().substring(colon + 1);
            Passwords.warnCommandLine("--creds", err);
        } else if (g.passwordStdin()) {
            password = Passwords.fromStdin();
        } else {
            password = Passwords.prompt(user, "--creds USER:PASSWORD or --password-stdin");
        }
        return CredentialSource.chain(List.of(CredentialSource.forImageRegistry(user, password), files));
    }

    /**
     * The process environment ({@code jpull daemon}'s client's, for its {@link Env#process}) with the credential
     * variables as {@code env} has them (a test's environment decides
     * which files are read; a credential helper gets the rest of the real environment, and its {@code PATH} unless
     * {@code env} has one).
     */
    public static Map<String, String> credentialEnv(Env env) {
        Map<String, String> vars = new HashMap<>(env.all() != null ? env.all() : System.getenv());
        for (String name : CREDENTIAL_VARIABLES) {
            String v = env.get(name);
            if (v == null && !name.equals("PATH")) { // no PATH given: the process's, to find helpers
                vars.remove(name);
            } else if (v == null) {
                continue;
            } else {
                vars.put(name, v);
            }
        }
        return vars;
    }
}
