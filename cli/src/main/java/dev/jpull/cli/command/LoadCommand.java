package dev.jpull.cli.command;

import dev.jpull.ImageSummary;
import dev.jpull.LoadResult;
import dev.jpull.cli.option.StoreOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jpull load FILE}: imports an image archive into the store. */
@Command(name = "load",
        description = "Import the images of an archive into the store: what `jpull save` writes, an OCI archive "
                + "(`skopeo copy ... oci-archive:FILE:IMAGE`, docker 25's save) or a Docker archive "
                + "(`skopeo copy ... docker-archive:FILE:IMAGE`, older docker save). Every blob is verified. A "
                + "Docker archive has no manifests: jpull writes them, so their digests differ from the "
                + "registry's (the image IDs do not). Prints \"Loaded image: REFERENCE\" per image, like docker "
                + "load (\"Loaded image ID: ...\" for one the archive names nothing for).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:loaded",
            "2:FILE cannot be read as an image archive, or the store cannot be written",
        })
public final class LoadCommand implements Callable<Integer> {
    @ParentCommand
    JpullCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions options;

    @Parameters(paramLabel = "FILE", description = "The archive (a tar).")
    Path file;

    /** -h, -V, the version and the help headings (last: the help lists -h and -V after the options). */
    @Mixin
    CommandDefaults commandDefaults;

    @Override
    public Integer call() {
        LoadResult r = options.client(parent.env()).load(file);
        PrintWriter out = spec.commandLine().getOut();
        if (r.format().equals("docker")) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("jpull: " + file + " is a Docker archive, which has no manifests: jpull wrote them, so "
                    + "their digests are not the registry's (an OCI archive keeps them)");
            err.flush();
        }
        for (ImageSummary i : r.images()) {
            out.println(i.reference() != null ? "Loaded image: " + i.reference()
                    : "Loaded image ID: " + (i.imageId() != null ? i.imageId() : i.manifestDigest()));
        }
        out.flush();
        return 0;
    }
}
