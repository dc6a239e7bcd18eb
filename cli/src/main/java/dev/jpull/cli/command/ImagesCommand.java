package dev.jpull.cli.command;

import dev.jpull.cli.option.FormatOption;

import dev.jpull.ImageSummary;
import dev.jpull.cli.option.OutputFormat;
import dev.jpull.cli.option.StoreOptions;
import dev.jpull.cli.option.ContainerdOption;
import dev.jpull.containerd.Containerd;
import dev.jpull.cli.output.ImagesRenderer;
import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jpull images}: what the store (or, with {@code --containerd}, containerd's namespace) holds. */
@Command(name = "images",
        description = "List the images of the store (or, with --containerd, of containerd's namespace): reference, "
                + "manifest digest, image id (config digest), platform and size (config and layers, compressed as "
                + "stored).")
public final class ImagesCommand implements Callable<Integer> {
    @ParentCommand
    JpullCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions options;

    @Mixin
    FormatOption format;

    @Mixin
    ContainerdOption containerd;

    @Option(names = {"-q", "--quiet"}, description = "Only the image ids (full config digests), each once.")
    boolean quiet;

    @Option(names = "--no-trunc", description = "Show full digests in the table.")
    boolean noTrunc;

    /** -h, -V, the version and the help headings (last: the help lists -h and -V after the options). */
    @Mixin
    CommandDefaults commandDefaults;

    @Override
    public Integer call() {
        ContainerdOption.Target target = containerd.target(parent.env(), options.storeGiven());
        List<ImageSummary> images;
        if (target == null) {
            images = options.client(parent.env()).images();
        } else {
            try (Containerd c = Containerd.connect(target.socket(), target.namespace())) {
                images = c.images();
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (quiet) {
            Set<String> ids = new LinkedHashSet<>();
            images.forEach(i -> ids.add(i.imageId() != null ? i.imageId() : i.manifestDigest()));
            ids.forEach(out::println);
        } else {
            out.print(ImagesRenderer.render(images, format.output, noTrunc));
        }
        out.flush();
        return 0;
    }
}
