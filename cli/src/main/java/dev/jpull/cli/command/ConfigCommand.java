package dev.jpull.cli.command;

import dev.jpull.cli.option.Env;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jpull config}: commands about configuration files. */
@Command(name = "config",
        description = "Configuration files: render a registries.yaml as containerd configuration.",
        commandListHeading = "%nCommands:%n",
        subcommands = {RenderCommand.class})
public final class ConfigCommand implements Callable<Integer> {
    @ParentCommand
    JpullCommand parent;

    @Spec
    CommandSpec spec;

    /** -h, -V, the version and the help headings (last: the help lists -h and -V after the options). */
    @Mixin
    CommandDefaults commandDefaults;

    Env env() {
        return parent.env();
    }

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        err.println("jpull: missing COMMAND for 'jpull config'");
        err.println("Try 'jpull config --help' for more information.");
        return ErrorHandler.USAGE;
    }
}
