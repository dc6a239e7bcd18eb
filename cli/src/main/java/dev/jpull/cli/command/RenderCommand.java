package dev.jpull.cli.command;

import dev.jpull.cli.option.ConfigOption;

import dev.jpull.cli.option.CommonOptions;
import dev.jpull.cli.option.Defaults;
import dev.jpull.ConfigWarning;
import dev.jpull.RegistriesConfig;
import dev.jpull.internal.render.ContainerdRender;
import dev.jpull.internal.render.LocalMirrorAddress;
import dev.jpull.internal.render.RegistriesYamlRender;
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
            "With --local-mirror HOST:PORT (jpull serve), every hosts.toml lists http://HOST:PORT first and the "
                    + "original endpoints after it, and _default and docker.io files are added when the "
                    + "configuration has no \"*\"; with --format registries-yaml the same goes into "
                    + "DIR/registries.yaml for K3s (the local mirror first in every mirrors entry, the rest of the "
                    + "file kept; a file jpull did not write is kept as DIR/registries.yaml.bak).",
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

    @Option(names = "--local-mirror", paramLabel = "HOST:PORT",
            description = "Put the node-local mirror http://HOST:PORT (jpull serve) first for every registry, "
                    + "the original endpoints after it (containerd falls back to them when it is down). A "
                    + "non-loopback HOST is allowed, with a warning.")
    String localMirror;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "containerd",
            converter = RenderFormat.Converter.class, completionCandidates = RenderFormat.Candidates.class,
            description = "What to write: containerd (DIR/config.toml and DIR/certs.d/) or registries-yaml "
                    + "(DIR/registries.yaml, for K3s; needs --local-mirror). Default: ${DEFAULT-VALUE}.")
    RenderFormat format;

    @Option(names = "--debug", description = "Show stack traces of errors.")
    boolean debug;

    /** -h, -V, the version and the help headings (last: the help lists -h and -V after the options). */
    @Mixin
    CommandDefaults commandDefaults;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (format == RenderFormat.REGISTRIES_YAML && localMirror == null) {
            throw new UsageException("--format registries-yaml needs --local-mirror HOST:PORT (without it K3s "
                    + "reads the registries.yaml as it is)");
        }
        if (format == RenderFormat.REGISTRIES_YAML && disableDefaultEndpoint) {
            throw new UsageException("--disable-default-endpoint is a K3s flag, not part of registries.yaml: "
                    + "pass it to K3s (--disable-default-registry-endpoint)");
        }
        Optional<Path> file = configOption.file(parent.env());
        RegistriesConfig registries = file.map(RegistriesConfig::load).orElse(RegistriesConfig.empty());
        for (ConfigWarning w : registries.warnings()) {
            err.println(CommonOptions.warningLine(w));
        }
        LocalMirrorAddress local = localMirror(err);
        ContainerdRender.Rendered r = format == RenderFormat.REGISTRIES_YAML
                ? RegistriesYamlRender.write(registries, local, outputDir)
                : ContainerdRender.write(registries, disableDefaultEndpoint, outputDir, local);
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

    /** The parsed {@code --local-mirror}, null without it; a non-loopback address gets a warning. */
    private LocalMirrorAddress localMirror(PrintWriter err) {
        if (localMirror == null) {
            return null;
        }
        LocalMirrorAddress a;
        try {
            a = LocalMirrorAddress.parse(localMirror);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--local-mirror '" + localMirror + "': " + e.getMessage());
        }
        if (!a.loopback()) {
            err.println("jpull: warning: --local-mirror " + a.hostPort() + " is not a loopback address: containerd "
                    + "sends every pull of the node to it over plain http (jpull serve listens on it only with "
                    + "--allow-remote)");
        }
        return a;
    }
}
