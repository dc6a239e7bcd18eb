package dev.jpull.cli.option;

import dev.jpull.Jpull;
import dev.jpull.ProxyConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options of the commands that only work on the store: {@code save}, {@code images}, {@code rmi}. */
public final class StoreOptions {
    @Mixin
    StoreOption storeOption = new StoreOption();

    @Option(names = "--debug", description = "Show stack traces of errors.")
    boolean debug;

    /** Whether {@code --store} was given (it then wins over {@code $JPULL_DESTINATION}). */
    public boolean storeGiven() {
        return storeOption.store != null;
    }

    /** A library client on the store in effect; no network is used. */
    public Jpull client(Env env) {
        return Jpull.builder().store(storeOption.dir(env)).proxies(ProxyConfig.NONE).build();
    }
}
