package dev.jpull.cli.option;

import dev.jpull.Jpull;
import dev.jpull.ProxyConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options of the commands that only work on the store: {@code save}, {@code images}, {@code rmi}. */
public final class StoreOptions {
    @Option(names = "--store", paramLabel = "DIR",
            description = "Content store (an OCI image layout). Default: $JPULL_STORE, else "
                    + "$XDG_DATA_HOME/jpull/store, else ~/.local/share/jpull/store.")
    Path store;

    @Option(names = "--debug", description = "Show stack traces of errors.")
    boolean debug;

    /** A library client on the store in effect; no network is used. */
    public Jpull client(Env env) {
        return Jpull.builder().store(store != null ? store : Defaults.store(env)).proxies(ProxyConfig.NONE).build();
    }
}
