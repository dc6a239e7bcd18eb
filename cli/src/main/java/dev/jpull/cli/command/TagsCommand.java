package dev.jpull.cli.command;

import dev.jpull.Jpull;
import dev.jpull.JpullException;
import dev.jpull.TagList;
import dev.jpull.cli.option.CommonOptions;
import dev.jpull.cli.output.QueryRenderer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jpull tags REPOSITORY}: every tag of a repository, all pages. */
@Command(name = "tags",
        description = "Print the tags of REPOSITORY, one per line in the registry's order (skopeo list-tags, crane "
                + "ls), following the registry's Link pagination to the last page, through the endpoint plan with "
                + "the failover of a pull. -o json: the list, the endpoint that answered and the attempts.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the tags are printed",
            "1:every endpoint failed (unknown repository, unreachable, ...)",
            "2:usage or configuration error",
        })
public final class TagsCommand implements Callable<Integer> {
    @ParentCommand
    JpullCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions options;

    @Option(names = "--page-size", paramLabel = "N", defaultValue = "0",
            description = "Ask the registry for pages of N tags (its `n` parameter); 0: the registry's default. "
                    + "Every page is listed either way.")
    int pageSize;

    @Parameters(paramLabel = "REPOSITORY", description = "e.g. alpine, 127.0.0.1:5000/team/app (no tag or digest)")
    String repository;

    /** -h, -V, the version and the help headings (last: the help lists -h and -V after the options). */
    @Mixin
    CommandDefaults commandDefaults;

    @Override
    public Integer call() {
        if (pageSize < 0) {
            throw new UsageException("invalid --page-size " + pageSize + ": must be 0 or more");
        }
        PrintWriter err = spec.commandLine().getErr();
        Jpull jpull = options.queryClient(parent.env(), err);
        TagList result;
        try {
            result = jpull.tags(repository, pageSize);
        } catch (JpullException e) {
            throw QueryFailures.report(e, repository, options.formatOption.output, spec.commandLine().getOut());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(QueryRenderer.tags(result, options.formatOption.output));
        out.flush();
        return 0;
    }
}
