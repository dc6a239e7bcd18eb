package dev.jpull.cli.command;

import dev.jpull.ImageSummary;
import dev.jpull.cli.option.StoreOptions;
import dev.jpull.cli.output.Terminal;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jpull save IMAGE... -o FILE}: images of the store as one tar for {@code ctr images import} or skopeo. */
@Command(name = "save",
        description = {
            "Write IMAGEs from the store to a tar archive: an OCI image layout that also carries Docker's "
                    + "manifest.json, so that `ctr images import FILE`, the K3s air-gap images directory "
                    + "(/var/lib/rancher/k3s/agent/images/) and `skopeo copy docker-archive:FILE:IMAGE ...` "
                    + "read it. Nothing is pulled: pull the images first. `skopeo inspect oci-archive:FILE:IMAGE` "
                    + "shows the registry's digest; docker-archive: shows one skopeo computes for a manifest it "
                    + "makes up.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:saved",
            "1:an IMAGE is not in the store (or its content is incomplete)",
            "2:usage error (malformed reference, unwritable FILE)",
        })
public final class SaveCommand implements Callable<Integer> {
    @ParentCommand
    JpullCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions options;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true,
            description = "The archive to write (replaced when it exists), like `docker save -o`; `-` writes it "
                    + "to stdout (`jpull save -o - IMAGE | ctr images import -`), never to a terminal.")
    Path output;

    @Parameters(paramLabel = "IMAGE", arity = "1..*",
            description = "References as given to pull, e.g. alpine, docker.io/library/alpine:3.20")
    List<String> images;

    /** -h, -V, the version and the help headings (last: the help lists -h and -V after the options). */
    @Mixin
    CommandDefaults commandDefaults;

    @Override
    public Integer call() {
        boolean toStdout = output.toString().equals("-");
        // the archive takes stdout: the names saved go to stderr then
        PrintWriter out = toStdout ? spec.commandLine().getErr() : spec.commandLine().getOut();
        List<ImageSummary> saved;
        if (toStdout) {
            OutputStream stdout = parent.stdout();
            if (stdout == null || stdout == System.out && Terminal.isStdout()) {
                throw new UsageException("save: refusing to write an archive to a terminal; redirect stdout "
                        + "(jpull save -o - IMAGE > FILE, or | ctr images import -) or give -o FILE");
            }
            spec.commandLine().getOut().flush();
            saved = options.client(parent.env()).save(images, stdout, "stdout");
        } else {
            saved = options.client(parent.env()).save(images, output);
        }
        for (ImageSummary s : saved) {
            out.println("Saved: " + s.reference());
        }
        out.flush();
        return 0;
    }
}
