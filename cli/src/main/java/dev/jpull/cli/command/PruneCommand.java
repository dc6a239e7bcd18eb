package dev.jpull.cli.command;

import dev.jpull.BlobPruneReport;
import dev.jpull.PruneReport;
import dev.jpull.cli.option.ByteSizes;
import dev.jpull.cli.option.DurationConverter;
import dev.jpull.cli.option.FormatOption;
import dev.jpull.cli.option.OutputFormat;
import dev.jpull.cli.option.StoreOptions;
import dev.jpull.cli.output.Sizes;
import dev.jpull.cli.output.Json;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jpull prune [--older-than DURATION] [--blobs [--keep-storage SIZE]]}: removes stale partial downloads from
 * the store's ingest/, and with {@code --blobs} the old blobs no image uses (and, beyond SIZE, the least recently
 * used of them).
 */
@Command(name = "prune",
        description = "Remove the partial downloads (and temporary files) of the store's ingest/ directory that "
                + "were last written longer ago than --older-than. A partial download is what an interrupted "
                + "pull keeps so that the next pull of that blob resumes; one that a running pull is writing is "
                + "never removed. Images are not touched (`jpull rmi --prune` removes unnamed ones); --blobs also "
                + "deletes old blobs no image uses.")
public final class PruneCommand implements Callable<Integer> {
    @ParentCommand
    JpullCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions options;

    @Mixin
    FormatOption format;

    @Option(names = "--older-than", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Only what was last written longer ago than this (e.g. 30m, 24h); 0: every partial "
                    + "download no pull is using. Default: ${DEFAULT-VALUE}.", defaultValue = "24h")
    Duration olderThan;

    @Option(names = "--blobs", description = "Also delete the blobs no image of the store uses whose file is older "
            + "than --older-than: what jpull serve cached and no client asked for since (a cache's time to live) and "
            + "what removed images left. Nothing is deleted when an image of the store cannot be read.")
    boolean blobs;

    @Option(names = "--keep-storage", paramLabel = "SIZE", converter = ByteSizes.Converter.class,
            description = "With --blobs: keep at most SIZE of blobs no image uses (e.g. 20g; binary, as docker's "
                    + "--keep-storage): beyond it the least recently used go too, whatever their age, except those "
                    + "written in the last 10 minutes (a pull in progress). A size for jpull serve's cache.")
    Long keepStorage;

    /** -h, -V, the version and the help headings (last: the help lists -h and -V after the options). */
    @Mixin
    CommandDefaults commandDefaults;

    @Override
    public Integer call() {
        if (keepStorage != null && !blobs) {
            throw new UsageException("--keep-storage needs --blobs (it bounds the blobs no image uses)");
        }
        var jpull = options.client(parent.env());
        PruneReport r = jpull.prune(olderThan);
        BlobPruneReport b = blobs ? jpull.pruneBlobs(olderThan, keepStorage == null ? Long.MAX_VALUE : keepStorage)
                : null;
        PrintWriter out = spec.commandLine().getOut();
        if (format.output == OutputFormat.JSON) {
            var root = Json.object();
            root.putObject("removed").put("files", r.removed().files()).put("bytes", r.removed().bytes());
            root.putObject("kept").put("files", r.kept().files()).put("bytes", r.kept().bytes());
            if (b != null) {
                var json = root.putObject("blobs");
                json.putObject("removed").put("blobs", b.removed()).put("bytes", b.removedBytes());
                json.putObject("kept").put("blobs", b.kept()).put("bytes", b.keptBytes());
            }
            out.print(Json.write(root));
        } else {
            out.println("Removed " + files(r.removed().files()) + " (" + Sizes.human(r.removed().bytes())
                    + ") from ingest/; kept " + files(r.kept().files()) + " ("
                    + Sizes.human(r.kept().bytes()) + ", newer or in use)");
            if (b != null) {
                out.println("Removed " + unused(b.removed()) + " (" + Sizes.human(b.removedBytes()) + "); kept "
                        + unused(b.kept()) + " (" + Sizes.human(b.keptBytes()) + ", newer)");
            }
        }
        out.flush();
        return 0;
    }

    private static String unused(int n) {
        return n + (n == 1 ? " blob no image uses" : " blobs no image uses");
    }

    private static String files(int n) {
        return n + (n == 1 ? " partial download" : " partial downloads");
    }
}
