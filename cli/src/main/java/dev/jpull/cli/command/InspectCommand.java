package dev.jpull.cli.command;

import dev.jpull.DigestResult;
import dev.jpull.ImageReference;
import dev.jpull.InspectResult;
import dev.jpull.Jpull;
import dev.jpull.JpullException;
import dev.jpull.ProxyConfig;
import dev.jpull.cli.option.CommonOptions;
import dev.jpull.cli.option.OutputFormat;
import dev.jpull.cli.output.InspectRenderer;
import dev.jpull.cli.output.Terminal;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jpull inspect IMAGE}: an image's manifest and config without pulling it, as skopeo inspect shows them. */
@Command(name = "inspect",
        description = "Show IMAGE's manifest and config without pulling it, as skopeo inspect does: digest, media "
                + "type, the platforms of an index, created, platform, layers with sizes, env, entrypoint, cmd, "
                + "labels; -o json with skopeo's field names. For a multi-platform tag the digest is the index's and "
                + "the image shown the host's (or --platform's). --raw prints the exact manifest (or index) bytes, "
                + "--raw-config the exact config bytes (byte for byte, unless stdout is a terminal: then control "
                + "characters are escaped). With --store DIR the image is read from that store as pulled, without "
                + "network (crictl inspecti). Fetched through the endpoint plan with the failover of a pull.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:shown",
            "1:every endpoint failed; no image for the platform; with --store, the image is not in the store",
            "2:usage or configuration error",
        })
public final class InspectCommand implements Callable<Integer> {
    @ParentCommand
    JpullCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions options;

    @Option(names = "--raw", description = "Print the manifest (or index) exactly as the registry serves it; with "
            + "--platform, that platform's image manifest.")
    boolean raw;

    @Option(names = "--raw-config", description = "Print the image config blob exactly as the registry serves it "
            + "(skopeo inspect --config --raw).")
    boolean rawConfig;

    @Parameters(paramLabel = "IMAGE", description = "e.g. alpine, docker.io/library/alpine:3.20, IMAGE@sha256:...")
    String image;

    /** -h, -V, the version and the help headings (last: the help lists -h and -V after the options). */
    @Mixin
    CommandDefaults commandDefaults;

    @Override
    public Integer call() {
        if (raw && rawConfig) {
            throw new UsageException("--raw and --raw-config cannot be used together");
        }
        if ((raw || rawConfig) && options.formatOption.output == OutputFormat.JSON) {
            throw new UsageException("--raw and --raw-config print the bytes as they are; leave out -o json");
        }
        InspectResult result;
        try {
            result = options.storeOption.store != null ? stored() : fetched();
        } catch (JpullException e) {
            throw QueryFailures.report(e, image, options.formatOption.output, spec.commandLine().getOut());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (raw || rawConfig) {
            writeRaw(out, raw ? result.rawManifest() : result.rawConfig());
        } else {
            out.print(InspectRenderer.render(result, options.formatOption.output));
        }
        out.flush();
        return 0;
    }

    private InspectResult fetched() {
        PrintWriter err = spec.commandLine().getErr();
        Jpull jpull = options.queryClient(parent.env(), err);
        if (raw && options.platform == null) {
            return jpull.inspectManifest(image); // the index itself: nothing below it is needed
        }
        if (raw) { // the platform's image manifest, by the digest the index gives it
            DigestResult d = jpull.digest(image, options.platform);
            return jpull.inspectManifest(ImageReference.parse(d.reference()).name() + "@" + d.digest());
        }
        return jpull.inspect(image, options.platform);
    }

    private InspectResult stored() {
        Jpull jpull = Jpull.builder().store(options.storeOption.store).proxies(ProxyConfig.NONE).build();
        return jpull.inspectStored(image, options.platform);
    }

    /**
     * The bytes exactly on the process's stdout; on a terminal (or without a byte stream) as text through the sink,
     * which escapes control characters, so that a registry cannot send escape sequences to the terminal.
     */
    private void writeRaw(PrintWriter out, byte[] bytes) {
        OutputStream stdout = parent.stdout();
        if (stdout == null || stdout == System.out && Terminal.isStdout()) {
            out.print(new String(bytes, StandardCharsets.UTF_8));
            return;
        }
        out.flush();
        try {
            stdout.write(bytes);
            stdout.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to stdout", e);
        }
    }
}
