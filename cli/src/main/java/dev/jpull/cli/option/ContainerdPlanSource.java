package dev.jpull.cli.option;

import dev.jpull.cli.command.UsageException;
import dev.jpull.ConfigWarning;
import dev.jpull.internal.config.ContainerdConfig;
import dev.jpull.internal.config.HostsDir;
import dev.jpull.ImageReference;
import dev.jpull.internal.resolve.CriMirrorResolver;
import dev.jpull.EndpointPlan;
import dev.jpull.internal.resolve.HostsDirResolver;
import dev.jpull.spi.PlanSource;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The plan source of {@code --hosts-dir} or {@code --containerd-config}: plans with containerd's rules, each new
 * warning of the files read printed once on stderr.
 */
public final class ContainerdPlanSource implements PlanSource {
    private final PlanSource delegate;
    private final Supplier<List<ConfigWarning>> warnings;
    private final PrintWriter err;
    private final Set<ConfigWarning> printed = new HashSet<>();

    private ContainerdPlanSource(PlanSource delegate, Supplier<List<ConfigWarning>> warnings, PrintWriter err) {
        this.delegate = delegate;
        this.warnings = warnings;
        this.err = err;
    }

    /** From the options; null when neither is given. Throws UsageException/ConfigException. */
    static PlanSource of(Path hostsDir, Path containerdConfig, Path registriesYaml, boolean disableDefault,
                         PrintWriter err) {
        if (hostsDir == null && containerdConfig == null) {
            return null;
        }
        if (hostsDir != null && containerdConfig != null) {
            throw new UsageException("--hosts-dir and --containerd-config cannot be used together");
        }
        String option = hostsDir != null ? "--hosts-dir" : "--containerd-config";
        if (registriesYaml != null) {
            throw new UsageException(option + " and --config cannot be used together");
        }
        if (disableDefault) {
            err.println("jpull: warning: --disable-default-endpoint has no effect with " + option
                    + " (containerd tries `server` last; set it to the mirror to avoid the registry)");
        }
        ContainerdPlanSource source;
        if (hostsDir != null) {
            if (!Files.isDirectory(hostsDir)) {
                throw new UsageException("--hosts-dir " + hostsDir + ": no such directory");
            }
            HostsDirResolver r = new HostsDirResolver(HostsDir.of(hostsDir));
            source = new ContainerdPlanSource(r, r::warnings, err);
        } else {
            CriMirrorResolver r = new CriMirrorResolver(ContainerdConfig.load(containerdConfig));
            source = new ContainerdPlanSource(r, r::warnings, err);
        }
        source.printWarnings();
        return source;
    }

    @Override
    public EndpointPlan resolve(ImageReference ref) {
        EndpointPlan plan = delegate.resolve(ref);
        printWarnings();
        return plan;
    }

    private synchronized void printWarnings() {
        for (ConfigWarning w : warnings.get()) {
            if (printed.add(w)) {
                err.println(CommonOptions.warningLine(w));
            }
        }
        err.flush();
    }
}
