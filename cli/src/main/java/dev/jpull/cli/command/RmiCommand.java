package dev.jpull.cli.command;

import dev.jpull.Jpull;
import dev.jpull.NoSuchImageException;
import dev.jpull.cli.option.StoreOptions;
import dev.jpull.cli.option.ContainerdOption;
import dev.jpull.containerd.Containerd;
import dev.jpull.RemovedImage;
import java.util.function.Function;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jpull rmi IMAGE...}: removes references and the blobs nothing else uses. */
@Command(name = "rmi",
        description = "Remove each IMAGE's reference from the store and delete the blobs no other reference uses "
                + "(with --containerd: remove containerd's image record; its garbage collector does the rest). "
                + "Prints \"Deleted: REFERENCE\" per image, like crictl rmi.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every IMAGE was removed",
            "1:an IMAGE is not in the store (the others are still removed)",
            "2:usage error (malformed reference)",
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

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "e.g. alpine, docker.io/library/alpine:3.20")
    List<String> images;

    /** -h, -V, the version and the help headings (last: the help lists -h and -V after the options). */
    @Mixin
    CommandDefaults commandDefaults;

    @Override
    public Integer call() {
        ContainerdOption.Target target = containerd.target(parent.env(), options.storeGiven());
        if (target == null) {
            Jpull jpull = options.client(parent.env());
            return remove(jpull::rmi);
        }
        try (Containerd c = Containerd.connect(target.socket(), target.namespace())) {
            return remove(c::remove);
        }
    }

    private int remove(Function<String, RemovedImage> rmi) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int code = 0;
        for (String image : images) {
            try {
                out.println("Deleted: " + rmi.apply(image).reference());
            } catch (NoSuchImageException e) {
                err.println("jpull: " + e.getMessage());
                code = ErrorHandler.exitCode(e);
            }
        }
        out.flush();
        err.flush();
        return code;
    }
}
