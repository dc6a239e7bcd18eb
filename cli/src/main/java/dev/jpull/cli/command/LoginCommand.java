package dev.jpull.cli.command;

import dev.jpull.Jpull;
import dev.jpull.RegistriesConfig;
import dev.jpull.RegistryLogin;
import dev.jpull.cli.option.AuthFileOption;
import dev.jpull.cli.option.ConfigOption;
import dev.jpull.cli.option.CredentialOptions;
import dev.jpull.cli.option.Env;
import dev.jpull.cli.option.PasswordStdinOption;
import dev.jpull.cli.option.Passwords;
import dev.jpull.cli.option.StoreOption;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jpull login REGISTRY}: checks the credentials against the registry, then stores them in the containers
 * auth.json (or its credential helper), as {@code podman login} / {@code skopeo login}.
 */
@Command(name = "login",
        description = "Check a user's credentials against REGISTRY (GET /v2/ with its challenge answered, Basic or "
                + "a Bearer token) and store them in the containers auth.json that pulls read: --authfile, else "
                + "$REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json, else "
                + "~/.config/containers/auth.json (mode 0600, other entries kept), or through the credential helper "
                + "that file names for REGISTRY (credHelpers, credsStore). Nothing is written when the registry "
                + "rejects them. Prints 'Login Succeeded!'.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the registry accepted the credentials and they were stored",
            "1:the registry rejected them or could not be asked (nothing written); --get-login: no user stored",
            "2:usage error, no password and no terminal to ask for it, or an unusable auth file or helper",
        })
public final class LoginCommand implements Callable<Integer> {
    @ParentCommand
    JpullCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "REGISTRY", description = "HOST[:PORT] of the registry, e.g. registry.example.com:5000")
    String registry;

    @Option(names = {"-u", "--username"}, paramLabel = "USER",
            description = "User name (asked on the terminal when missing).")
    String username;

    @Option(names = {"-p", "--password"}, paramLabel = "PASSWORD",
            description = "Password; visible in ps and shell history (a warning says so): prefer --password-stdin, "
                    + "or leave it out to be asked on the terminal without echo.")
    String password;

    @Mixin
    PasswordStdinOption passwordStdin;

    @Mixin
    AuthFileOption authFile;

    @Mixin
    ConfigOption config;

    @Option(names = "--get-login", description = "Print the user name stored for REGISTRY (in the auth file or its "
            + "credential helper) and exit: 1 when none is. Asks nothing, sends nothing, writes nothing.")
    boolean getLogin;

    @Option(names = "--debug", description = "Trace the HTTP requests of the check on stderr (credentials, tokens "
            + "and cookies redacted) and show stack traces of errors.")
    boolean debug;

    /** -h, -V, the version and the help headings (last: the help lists -h and -V after the options). */
    @Mixin
    CommandDefaults commandDefaults;

    @Override
    public Integer call() {
        Env env = parent.env();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String name = RegistryLogin.registryName(registry);
        if (getLogin) {
            if (username != null || password != null || passwordStdin.passwordStdin) {
                throw new UsageException("--get-login takes no credentials (-u, -p, --password-stdin)");
            }
            Path file = authFile(env);
            String user = RegistryLogin.username(file, name, CredentialOptions.credentialEnv(env));
            if (user == null) {
                err.println("jpull: not logged into " + name + " (" + file + ")");
                err.flush();
                return ErrorHandler.FAILED;
            }
            out.println(user);
            out.flush();
            return 0;
        }
        if (password != null && passwordStdin.passwordStdin) {
            throw new UsageException("--password and --password-stdin cannot be used together");
        }
        String user = username != null ? username : Passwords.promptUser(name);
        if (user.isEmpty() || user.contains(":")) {
            throw new UsageException("invalid user name: must not be empty or contain ':'");
        }
        String secret;
        if (password != null) {
            Passwords.warnCommandLine("--password", err);
            secret = password;
        } else if (passwordStdin.passwordStdin) {
            secret = Passwords.fromStdin();
        } else {
            secret = Passwords.prompt(user, "-p PASSWORD or --password-stdin");
        }
        Path file = authFile(env);
        RegistriesConfig registries = config.file(env).map(RegistriesConfig::load).orElse(RegistriesConfig.empty());
        Jpull jpull = Jpull.builder()
                .config(registries)
                .store(new StoreOption().dir(env))
                .httpTrace(debug ? block -> trace(err, block) : null)
                .build();
        jpull.checkLogin(name, user, secret);
        RegistryLogin.store(file, name, user, secret, CredentialOptions.credentialEnv(env));
        out.println("Login Succeeded!");
        out.flush();
        return 0;
    }

    /** {@code --authfile}, else the default auth.json of {@code env} ({@link RegistryLogin#defaultAuthFile}). */
    Path authFile(Env env) {
        return authFile.authFile != null ? authFile.authFile
                : RegistryLogin.defaultAuthFile(CredentialOptions.credentialEnv(env), env.home());
    }

    static void trace(PrintWriter err, String block) {
        synchronized (err) {
            for (String line : block.split("\n", -1)) {
                err.println(line);
            }
            err.flush();
        }
    }
}
