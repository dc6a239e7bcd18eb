package dev.jpull.cli.command;

import dev.jpull.cli.option.FormatOption;

import dev.jpull.ImageReference;
import dev.jpull.ImageSummary;
import dev.jpull.IngestUsage;
import dev.jpull.Jpull;
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
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jpull images [REPOSITORY[:TAG]]}: what the store (or, with {@code --containerd}, containerd's namespace)
 * holds.
 */
@Command(name = "images",
        description = "List the images of the store (or, with --containerd, of containerd's namespace): reference, "
                + "manifest digest, image id (config digest), platform and size (config and layers, compressed as "
                + "stored); with REPOSITORY, only its images. Partial downloads kept in the store's ingest/ for "
                + "resuming are summed up on stderr (`jpull prune` removes stale ones).")
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

    @Parameters(paramLabel = "REPOSITORY[:TAG]", arity = "0..1",
            description = "Only the images of this repository (e.g. alpine, 127.0.0.1:5000/team/app), or only "
                    + "this reference when it has a tag or digest, like crictl images.")
    String repository;

    /** -h, -V, the version and the help headings (last: the help lists -h and -V after the options). */
    @Mixin
    CommandDefaults commandDefaults;

    @Override
    public Integer call() {
        ContainerdOption.Target target = containerd.target(parent.env(), options.storeGiven());
        if (target != null) {
            Predicate<String> wanted = repository == null ? name -> true : ImageReference.filter(repository);
            try (Containerd c = Containerd.connect(target.socket(), target.namespace())) {
                return print(c.images().stream().filter(i -> wanted.test(i.reference())).toList(),
                        IngestUsage.NONE);
            }
        }
        Jpull jpull = options.client(parent.env());
        return print(list(jpull), jpull.ingest());
    }

    private int print(List<ImageSummary> images, IngestUsage ingest) {
        PrintWriter out = spec.commandLine().getOut();
        if (quiet) {
            Set<String> ids = new LinkedHashSet<>();
            images.forEach(i -> ids.add(i.imageId() != null ? i.imageId() : i.manifestDigest()));
            ids.forEach(out::println);
        } else {
            out.print(ImagesRenderer.render(images, ingest, format.output, noTrunc));
            if (format.output == OutputFormat.TEXT && ingest.files() > 0) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("jpull: " + ImagesRenderer.ingestLine(ingest));
                err.flush();
            }
        }
        out.flush();
        return 0;
    }

    /** The one place the images are listed (another destination's listing goes here). */
    private List<ImageSummary> list(Jpull jpull) {
        return repository == null ? jpull.images() : jpull.images(repository);
    }
}
