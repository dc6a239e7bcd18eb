package dev.jpull.cli.option;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --store}, declared once for every command that reads or writes the store (a mixin). */
public final class StoreOption {
    @Option(names = "--store", paramLabel = "DIR",
            description = "Content store (an OCI image layout). Default: $JPULL_STORE, else "
                    + "$XDG_DATA_HOME/jpull/store, else ~/.local/share/jpull/store.")
    public Path store;

    /** The store in effect: {@code --store}, else the environment's default. */
    public Path dir(Env env) {
        return store != null ? store : Defaults.store(env);
    }
}
