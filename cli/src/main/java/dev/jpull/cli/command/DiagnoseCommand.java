package dev.jpull.cli.command;

import dev.jpull.cli.option.CommonOptions;
import dev.jpull.cli.output.DiagnoseRenderer;
import dev.jpull.DiagnosisReport;
import dev.jpull.EndpointPlan;
import dev.jpull.Jpull;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jpull diagnose IMAGE}: probes every endpoint of the plan and says whether and why it can serve IMAGE. */
@Command(name = "diagnose",
        description = "Probe every endpoint IMAGE would be pulled from (DNS, TCP, TLS, /v2/ ping, auth, manifest "
                + "HEAD), each independently, and print per endpoint whether and why it can serve IMAGE, with hints "
                + "for common configuration mistakes. Nothing is pulled.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:at least one endpoint can serve IMAGE",
            "1:no endpoint can serve IMAGE",
            "2:usage or configuration error",
        })
public final class DiagnoseCommand implements Callable<Integer> {
    static final int NONE_SERVES = 1;

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
        Jpull jpull = options.queryClient(parent.env(), err);
        EndpointPlan plan = jpull.resolve(image);
        CommonOptions.printWarnings(plan, err);
        DiagnosisReport report = jpull.diagnose(plan);
        CommonOptions.warnIfNoEndpoint(report.endpoints().isEmpty(), report.reference(), err);
        PrintWriter out = spec.commandLine().getOut();
        out.print(DiagnoseRenderer.render(report, options.formatOption.output));
        out.flush();
        return report.servable() ? 0 : NONE_SERVES;
    }
}
