package dev.jpull.cli.command;

import dev.jpull.cli.option.CommonOptions;
import dev.jpull.cli.output.PlanRenderer;
import dev.jpull.cli.output.TraceListener;
import dev.jpull.RegistriesConfig;
import dev.jpull.EndpointPlan;
import dev.jpull.Jpull;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jpull resolve IMAGE}: the endpoint plan, without network access. */
@Command(name = "resolve",
        description = "Print the endpoints IMAGE would be pulled from, in order, with what earlier pulls remember of "
                + "them (REMEMBERED), without any network access.")
public final class ResolveCommand implements Callable<Integer> {
    @ParentCommand
    JpullCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions options;

    @Parameters(paramLabel = "IMAGE", description = "e.g. alpine, docker.io/library/alpine:3.20")
    String image;

    /** -h, -V, the version and the help headings (last: the help lists -h and -V after the options). */
    @Mixin
    CommandDefaults commandDefaults;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        RegistriesConfig registries = options.loadConfig(parent.env(), err);
        options.offline = true; // no network: --creds are not used, no password is asked
        Jpull jpull = options.client(parent.env(), registries, new TraceListener(err));
        EndpointPlan plan = jpull.resolve(image);
        CommonOptions.printWarnings(plan, err);
        CommonOptions.warnIfNoEndpoint(plan.endpoints().isEmpty(), plan.reference(), err);
        PrintWriter out = spec.commandLine().getOut();
        out.print(PlanRenderer.render(plan, options.formatOption.output, jpull.rememberedEndpoints(), Instant.now()));
        out.flush();
        return 0;
    }
}
