package dev.jpull.cli.option;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --authfile FILE}, declared once for pull, resolve, diagnose, login and logout (a mixin). */
public final class AuthFileOption {
    @Option(names = "--authfile", paramLabel = "FILE",
            description = "The containers auth.json to use instead of the default credential files "
                    + "($REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json, "
                    + "~/.config/containers/auth.json, and Docker's config.json), as podman's --authfile.")
    public Path authFile;
}
