package dev.jpull.cli.command;

import dev.jpull.cli.option.ConfigOption;

import dev.jpull.cli.option.CommonOptions;
import dev.jpull.cli.option.Defaults;
import dev.jpull.ConfigWarning;
import dev.jpull.RegistriesConfig;
import dev.jpull.internal.render.ContainerdRender;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jpull config render}: what K3s would give containerd for a registries.yaml. */
@Command(name = "render",
        description = {
            "Write what K3s gives containerd for a registries.yaml: DIR/certs.d/<registry>/hosts.toml per mirror "
                    + "with endpoints (and per configs entry with auth or TLS settings), as K3s writes them, and "
                    + "DIR/config.toml with the CRI registry "
                    + "section (config_path = DIR/certs.d, configs.<host>.auth; mode 0600, it holds the "
                    + "credentials).",
            "Use with containerd 1.6+ (config version 2), or: ctr content fetch --hosts-dir DIR/certs.d IMAGE.",
            "Prints the files written; warnings (what upstream containerd does differently) on stderr.",
        })
public final class RenderCommand implements Callable<Integer> {
    @ParentCommand
    ConfigCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption configOption = new ConfigOption();

    @Option(names = "--output-dir", paramLabel = "DIR", required = true,
            description = "Where to write config.toml and certs.d/ (created when missing).")
    Path outputDir;

    @Option(names = "--disable-default-endpoint",
            description = "As K3s --disable-default-registry-endpoint: no `server` line for mirrored registries "
                    + "(only K3s's containerd then skips the registry itself).")
    boolean disableDefaultEndpoint;

    @Option(names = "--debug", description = "Show stack traces of errors.")
    boolean debug;

    /** -h, -V, the version and the help headings (last: the help lists -h and -V after the options). */
    @Mixin
    CommandDefaults commandDefaults;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Optional<Path> file = configOption.file(parent.env());
        RegistriesConfig registries = file.map(RegistriesConfig::load).orElse(RegistriesConfig.empty());
        for (ConfigWarning w : registries.warnings()) {
            err.println(CommonOptions.warningLine(w));
        }
        ContainerdRender.Rendered r = ContainerdRender.write(registries, disableDefaultEndpoint, outputDir);
        for (ConfigWarning w : r.warnings()) {
            err.println(CommonOptions.warningLine(w));
        }
        err.flush();
        PrintWriter out = spec.commandLine().getOut();
        Path dir = outputDir.toAbsolutePath().normalize();
        for (String rel : r.files().keySet()) {
            out.println(dir.resolve(rel));
        }
        out.flush();
        return 0;
    }
}
