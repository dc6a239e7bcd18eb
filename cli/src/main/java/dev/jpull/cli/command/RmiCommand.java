package dev.jpull.cli.command;

import dev.jpull.Jpull;
import dev.jpull.NoSuchImageException;
import dev.jpull.RemovedImage;
import dev.jpull.cli.option.StoreOptions;
import dev.jpull.cli.option.ContainerdOption;
import dev.jpull.containerd.Containerd;
import java.util.function.Function;
import java.util.function.Supplier;
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
                + "With --containerd: remove containerd's image record (its garbage collector does the rest). "
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

    @Mixin
    ContainerdOption containerd;

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
        ContainerdOption.Target target = containerd.target(parent.env(), options.storeGiven());
        if (target == null) {
            Jpull jpull = options.client(parent.env());
            return remove(jpull::rmi, jpull::rmiUnnamed);
        }
        if (prune) {
            throw new UsageException("rmi --prune works on jpull's store; containerd has no unnamed images");
        }
        try (Containerd c = Containerd.connect(target.socket(), target.namespace())) {
            return remove(image -> List.of(c.remove(image)), List::of);
        }
    }

    /** The one place images are removed: by {@code rmi} per IMAGE, by {@code unnamed} for --prune. */
    private int remove(Function<String, List<RemovedImage>> rmi, Supplier<List<RemovedImage>> unnamed) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int code = 0;
        for (String image : images) {
            try {
                rmi.apply(image).forEach(r -> out.println("Deleted: " + name(r)));
            } catch (NoSuchImageException e) {
                err.println("jpull: " + e.getMessage());
                code = ErrorHandler.exitCode(e);
            }
        }
        if (prune) {
            unnamed.get().forEach(r -> out.println("Deleted: " + name(r)));
        }
        out.flush();
        err.flush();
        return code;
    }

    /** The reference removed, or the manifest digest of an entry that had none. */
    private static String name(RemovedImage r) {
        return r.reference() != null ? r.reference() : r.manifestDigest();
    }
}
