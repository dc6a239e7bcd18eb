package dev.jpull.cli.command;

import dev.jpull.RegistryLogin;
import dev.jpull.cli.option.AuthFileOption;
import dev.jpull.cli.option.CredentialOptions;
import dev.jpull.cli.option.Env;
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
 * {@code jpull logout REGISTRY}: removes the registry's credentials from the auth.json (or its helper);
 * {@code logout --all}: every registry's.
 */
@Command(name = "logout",
        description = "Remove REGISTRY's credentials from the containers auth.json that login writes (--authfile, "
                + "else $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json, else "
                + "~/.config/containers/auth.json; other entries kept), or erase them through the credential helper "
                + "that file names for REGISTRY, as podman logout.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:removed",
            "1:no credentials were stored for REGISTRY",
            "2:usage error, or an unusable auth file or helper",
        })
public final class LogoutCommand implements Callable<Integer> {
    @ParentCommand
    JpullCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "REGISTRY", arity = "0..1", description = "HOST[:PORT] of the registry")
    String registry;

    @Option(names = {"-a", "--all"}, description = "Remove the credentials of every registry: the auth file's entries, "
            + "and what its credential helpers hold (credHelpers registries, everything credsStore lists); the "
            + "helper settings stay. Exit 0 also when there were none.")
    boolean all;

    @Mixin
    AuthFileOption authFile;

    /** -h, -V, the version and the help headings (last: the help lists -h and -V after the options). */
    @Mixin
    CommandDefaults commandDefaults;

    @Override
    public Integer call() {
        Env env = parent.env();
        if (all == (registry != null)) {
            throw new UsageException(all ? "--all takes no REGISTRY" : "name a REGISTRY, or --all");
        }
        Path file = authFile.authFile != null ? authFile.authFile
                : RegistryLogin.defaultAuthFile(CredentialOptions.credentialEnv(env), env.home());
        if (all) {
            RegistryLogin.eraseAll(file, CredentialOptions.credentialEnv(env));
            PrintWriter out = spec.commandLine().getOut();
            out.println("Removed login credentials for all registries");
            out.flush();
            return 0;
        }
        String name = RegistryLogin.registryName(registry);
        RegistryLogin.Stored removed = RegistryLogin.erase(file, name, CredentialOptions.credentialEnv(env));
        if (removed == null) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("jpull: not logged into " + name + " (" + file + ")");
            err.flush();
            return ErrorHandler.FAILED;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Removed login credentials for " + name);
        out.flush();
        return 0;
    }
}
