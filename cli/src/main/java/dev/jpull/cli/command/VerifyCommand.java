package dev.jpull.cli.command;

import dev.jpull.cli.option.FormatOption;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpull.VerifyReport;
import dev.jpull.cli.option.OutputFormat;
import dev.jpull.cli.option.StoreOptions;
import dev.jpull.cli.output.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jpull verify [IMAGE...]}: re-hashes stored blobs and removes bad ones (exit codes as fsck's). */
@Command(name = "verify",
        description = "Re-hash the store's blobs (every blob, or those the IMAGEs need) and report every bad one "
                + "(wrong size or content, a link or directory in its place) and every missing one. Bad blobs "
                + "are removed, so that the next pull fetches them again.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every blob checked is good",
            "1:a blob was bad (and removed) or missing, or an IMAGE is not in the store",
            "2:usage error, or the store cannot be read",
        })
public final class VerifyCommand implements Callable<Integer> {
    @ParentCommand
    JpullCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions options;

    @Mixin
    FormatOption format;

    @Parameters(paramLabel = "IMAGE", arity = "0..*",
            description = "References as given to pull; none: every blob of the store")
    List<String> images = new ArrayList<>();

    /** -h, -V, the version and the help headings (last: the help lists -h and -V after the options). */
    @Mixin
    CommandDefaults commandDefaults;

    @Override
    public Integer call() {
        VerifyReport report = options.client(parent.env()).verify(images);
        PrintWriter out = spec.commandLine().getOut();
        out.print(render(report, format.output));
        out.flush();
        return report.clean() ? 0 : 1;
    }

    static String render(VerifyReport r, OutputFormat format) {
        if (format == OutputFormat.JSON) {
            ObjectNode root = Json.object();
            ArrayNode images = root.putArray("images");
            r.images().forEach(images::add);
            root.put("blobs", r.blobs());
            root.put("bytes", r.bytes());
            ArrayNode bad = root.putArray("bad");
            for (VerifyReport.BadBlob b : r.bad()) {
                bad.addObject().put("digest", b.digest()).put("problem", b.problem()).put("removed", b.removed());
            }
            return Json.write(root);
        }
        StringBuilder sb = new StringBuilder();
        for (VerifyReport.BadBlob b : r.bad()) {
            sb.append("bad: ").append(b.digest()).append(' ').append(b.problem())
                    .append(b.removed() ? " (removed)" : "").append(System.lineSeparator());
        }
        sb.append("Verified ").append(r.blobs()).append(r.blobs() == 1 ? " blob" : " blobs").append(" (")
                .append(r.bytes()).append(" bytes): ");
        if (r.clean()) {
            sb.append("all good");
        } else {
            sb.append(r.bad().size()).append(" bad or missing; pull the images again to fetch them");
        }
        return sb.append(System.lineSeparator()).toString();
    }
}
