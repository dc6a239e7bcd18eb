package dev.jpull.cli.command;

import dev.jpull.DigestResult;
import dev.jpull.Jpull;
import dev.jpull.JpullException;
import dev.jpull.cli.option.CommonOptions;
import dev.jpull.cli.output.QueryRenderer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jpull digest IMAGE}: the digest the reference resolves to now, without pulling. */
@Command(name = "digest",
        description = "Print the digest IMAGE resolves to now, on one line, without pulling: a HEAD of its "
                + "manifest (a GET when the HEAD gives no Docker-Content-Digest) through the endpoint plan, with "
                + "the failover of a pull. For a multi-platform tag the index's digest (skopeo inspect's Digest); "
                + "with --platform the digest of that platform's image manifest. A reference by digest is checked "
                + "to exist. -o json adds the media type, the endpoint that answered and the attempts.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the digest is printed",
            "1:every endpoint failed (not found, unreachable, ...); no image for the platform in the index",
            "2:usage or configuration error",
        })
public final class DigestCommand implements Callable<Integer> {
    @ParentCommand
    JpullCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions options;

    @Parameters(paramLabel = "IMAGE", description = "e.g. alpine, docker.io/library/alpine:3.20, IMAGE@sha256:...")
    String image;

    /** -h, -V, the version and the help headings (last: the help lists -h and -V after the options). */
    @Mixin
    CommandDefaults commandDefaults;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Jpull jpull = options.queryClient(parent.env(), err);
        DigestResult result;
        try {
            result = jpull.digest(image, options.platform);
        } catch (JpullException e) {
            throw QueryFailures.report(e, image, options.formatOption.output, spec.commandLine().getOut());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(QueryRenderer.digest(result, options.formatOption.output));
        out.flush();
        return 0;
    }
}
