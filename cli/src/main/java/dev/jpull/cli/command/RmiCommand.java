package dev.jpull.cli.command;

import dev.jpull.Jpull;
import dev.jpull.NoSuchImageException;
import dev.jpull.RemovedImage;
import dev.jpull.cli.option.StoreOptions;
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

/** {@code jpull rmi IMAGE...}, {@code jpull rmi --prune}: removes images and the blobs nothing else uses. */
@Command(name = "rmi",
        description = "Remove each IMAGE from the store and delete the blobs no remaining reference uses. IMAGE is "
                + "a reference, or an image ID or manifest digest (sha256:61cd..., or a unique prefix such as "
                + "61cd703034b4, as `jpull images` shows them), which removes every reference of that image. "
                + "Prints \"Deleted: REFERENCE\" per removed reference, like crictl rmi.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every IMAGE was removed",
            "1:an IMAGE is not in the store (the others are still removed)",
            "2:usage error (malformed reference, ambiguous ID prefix, no IMAGE)",
        })
public final class RmiCommand implements Callable<Integer> {
    @ParentCommand
    JpullCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions options;

    @Option(names = "--prune", description = "Also remove every image that no reference names (an index.json "
            + "entry without a name, e.g. from a copy into the store that named nothing).")
    boolean prune;

    @Parameters(paramLabel = "IMAGE", arity = "0..*",
            description = "e.g. alpine, docker.io/library/alpine:3.20, sha256:61cd703034b4..., 61cd703034b4")
    List<String> images = new ArrayList<>();

    /** -h, -V, the version and the help headings (last: the help lists -h and -V after the options). */
    @Mixin
    CommandDefaults commandDefaults;

    @Override
    public Integer call() {
        if (images.isEmpty() && !prune) {
            throw new UsageException("rmi: name an IMAGE to remove, or give --prune");
        }
        Jpull jpull = options.client(parent.env());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int code = 0;
        for (String image : images) {
            try {
                remove(jpull, image).forEach(r -> out.println("Deleted: " + name(r)));
            } catch (NoSuchImageException e) {
                err.println("jpull: " + e.getMessage());
                code = ErrorHandler.exitCode(e);
            }
        }
        if (prune) {
            removeUnnamed(jpull).forEach(r -> out.println("Deleted: " + name(r)));
        }
        out.flush();
        err.flush();
        return code;
    }

    /** The one place an IMAGE argument is removed (another destination's removal goes here). */
    private static List<RemovedImage> remove(Jpull jpull, String image) {
        return jpull.rmi(image);
    }

    /** The one place {@code --prune} removes (another destination's removal goes here). */
    private static List<RemovedImage> removeUnnamed(Jpull jpull) {
        return jpull.rmiUnnamed();
    }

    /** The reference removed, or the manifest digest of an entry that had none. */
    private static String name(RemovedImage r) {
        return r.reference() != null ? r.reference() : r.manifestDigest();
    }
}
