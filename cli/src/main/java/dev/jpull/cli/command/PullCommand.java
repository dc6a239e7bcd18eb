package dev.jpull.cli.command;

import dev.jpull.EndpointPlan;
import dev.jpull.FailoverPolicy;
import dev.jpull.Hedging;
import dev.jpull.Jpull;
import dev.jpull.JpullException;
import dev.jpull.PullListener;
import dev.jpull.PullResult;
import dev.jpull.cli.option.CommonOptions;
import dev.jpull.cli.option.HedgeDelayConverter;
import dev.jpull.cli.option.ContainerdOption;
import dev.jpull.containerd.Containerd;
import dev.jpull.cli.option.Env;
import dev.jpull.cli.output.InterruptNotice;
import dev.jpull.cli.output.ProgressRenderer;
import dev.jpull.cli.option.OutputFormat;
import dev.jpull.cli.output.PullRenderer;
import dev.jpull.cli.output.PullTracker;
import dev.jpull.cli.output.TraceListener;
import dev.jpull.RegistriesConfig;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jpull pull IMAGE}: pulls into the store; result on stdout, failover trace on stderr. */
@Command(name = "pull",
        description = "Pull IMAGE into the store (with --containerd: into containerd, as crictl pull does), "
                + "verifying every byte, failing over between endpoints.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:pulled, or already up to date",
            "1:the pull failed on every endpoint (the message names each endpoint and its answer)",
            "2:usage or configuration error",
            "130:interrupted by SIGINT (143: SIGTERM); the same command resumes what was kept",
        })
public final class PullCommand implements Callable<Integer> {
    /** Default of {@code --concurrency}, shared with {@link dev.jpull.cli.startup.FastPull}. */
    public static final String DEFAULT_CONCURRENCY = "3";
    /** Default of {@code --snapshotter}: K3s's and containerd's. */
    public static final String DEFAULT_SNAPSHOTTER = "overlayfs";

    @ParentCommand
    JpullCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    public CommonOptions options;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = DEFAULT_CONCURRENCY,
            description = "Blobs downloaded at the same time. Default: ${DEFAULT-VALUE}.")
    public int concurrency;

    @Option(names = "--hedge-delay", paramLabel = "auto|DURATION", defaultValue = HedgeDelayConverter.AUTO,
            converter = HedgeDelayConverter.class,
            description = "When an endpoint has not answered a request for this long, send it to the next endpoint "
                    + "as well and use the first answer; auto: twice the slowest answer seen, at least 300ms; 0: one "
                    + "endpoint at a time, and a stalled or slow blob body is not moved. Default: ${DEFAULT-VALUE}.")
    Hedging hedging;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing on stderr but errors: no progress, no failover "
            + "trace, no warnings.")
    boolean quiet;

    @Option(names = "--verify", description = "Re-hash the image's blobs already in the store (their size is "
            + "always checked); bad ones are removed and downloaded again.")
    public boolean verify;

    @Option(names = "--all-platforms", description = "Pull every image of a multi-platform index (nested "
            + "indexes too), each blob once, and name the index in the store, so that save writes, skopeo copy --all "
            + "and ctr images import --all-platforms read the whole multi-platform image. To pull only some "
            + "platforms, repeat --platform instead.")
    boolean allPlatforms;

    @Mixin
    ContainerdOption containerd;

    @Option(names = "--snapshotter", paramLabel = "NAME", defaultValue = DEFAULT_SNAPSHOTTER,
            description = "With --containerd: the snapshotter to unpack into (K3s: overlayfs). "
                    + "Default: ${DEFAULT-VALUE}.")
    String snapshotter;

    @Option(names = "--no-unpack", description = "With --containerd: store the image's content and record it, but "
            + "do not unpack it into the snapshotter (kubelet's first run of it then unpacks).")
    boolean noUnpack;

    @Parameters(paramLabel = "IMAGE", description = "e.g. alpine, docker.io/library/alpine:3.20, "
            + "172.31.6.200:5000/library/alpine@sha256:...")
    public String image;

    /** -h, -V, the version and the help headings (last: the help lists -h and -V after the options). */
    @Mixin
    CommandDefaults commandDefaults;

    @Override
    public Integer call() {
        return pull(parent.env(), request(), parent.terminal(), spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }

    /** {@code --concurrency N} checked here: the library's builder refuses it as a programming error. */
    private static int positive(int concurrency) {
        if (concurrency < 1) {
            throw new UsageException("invalid concurrency " + concurrency + ": must be at least 1");
        }
        return concurrency;
    }

    /** What picocli parsed, as the plain value the pull runs. */
    public PullRequest request() {
        return new PullRequest(image, options.values(), concurrency, quiet, verify,
                new PullRequest.Into(containerd.containerd, containerd.namespace, snapshotter, !noUnpack), hedging,
                platforms());
    }

    /** {@code --all-platforms}, or {@code --platform} given more than once; with both, a usage error. */
    private PullRequest.Platforms platforms() {
        List<String> named = options.platforms;
        if (allPlatforms && !named.isEmpty()) {
            throw new UsageException("--all-platforms and --platform cannot be used together (--all-platforms "
                    + "pulls every platform; to pull some, repeat --platform)");
        }
        return allPlatforms || named.size() > 1 ? new PullRequest.Platforms(named, allPlatforms)
                : PullRequest.Platforms.ONE;
    }

    /**
     * Runs {@code request}, for picocli's parse and for {@link dev.jpull.cli.startup.FastPull}'s; returns the exit
     * code (0) or throws.
     */
    public static int pull(Env env, PullRequest request, boolean terminal, PrintWriter out, PrintWriter err) {
        CommonOptions options = CommonOptions.of(request.options());
        boolean quiet = request.quiet();
        String image = request.image();
        RegistriesConfig registries = options.loadConfig(env, quiet ? new PrintWriter(Writer.nullWriter()) : err);
        TraceListener trace = new TraceListener(err);
        ProgressRenderer progress = quiet ? null : new ProgressRenderer(err, terminal, trace);
        PullTracker tracker = new PullTracker(quiet ? PullListener.NONE : progress);
        Jpull.Builder builder = options.builder(env, registries, tracker, err)
                .concurrency(positive(request.concurrency())).verifyCached(request.verify())
                .failoverPolicy(FailoverPolicy.DEFAULT.withHedging(request.hedging()))
                .platforms(request.platforms().named()).allPlatforms(request.platforms().all());
        ContainerdOption.Target target = ContainerdOption.of(request.into().containerd(), request.into().namespace())
                .target(env, request.options().store() != null);
        if (target == null) {
            if (!request.into().unpack() || !DEFAULT_SNAPSHOTTER.equals(request.into().snapshotter())) {
                throw new UsageException((request.into().unpack() ? "--snapshotter" : "--no-unpack")
                        + " needs --containerd (jpull's store does not unpack)");
            }
            Path store = options.storeOption.dir(env);
            return pull(builder.build(), image, "oci:" + store, options, quiet,
                    new Sinks(trace, progress, tracker, store.resolve("ingest")), out, err);
        }
        try (Containerd c = Containerd.connect(target.socket(), target.namespace())) {
            builder.destination(c.destination(request.into().snapshotter(), request.into().unpack()));
            return pull(builder.build(), image, target.toString(), options, quiet,
                    new Sinks(trace, progress, tracker, null), out, err);
        }
    }

    /**
     * The listeners of one pull: the failover trace, the progress (null with {@code -q}), the tracker; and where
     * partial blobs stay: the store's {@code ingest/}, null for containerd.
     */
    private record Sinks(TraceListener trace, ProgressRenderer progress, PullTracker tracker, Path ingest) {
    }

    private static int pull(Jpull jpull, String image, String into, CommonOptions options, boolean quiet,
                            Sinks sinks, PrintWriter out, PrintWriter err) {
        EndpointPlan plan = jpull.resolve(image);
        if (!quiet) {
            CommonOptions.printWarnings(plan, err);
        }
        sinks.trace().plan(plan);
        long start = System.nanoTime();
        PullResult result;
        try (InterruptNotice notice = InterruptNotice.install(sinks.tracker(), sinks.ingest(), into,
                sinks.progress(), err, jpull)) {
            result = jpull.pull(plan);
        } catch (JpullException e) {
            if (options.formatOption.output == OutputFormat.JSON) { // scripts read failures too; exit code as ever
                out.print(PullRenderer.failure(plan.reference().toString(), ErrorHandler.message(e),
                        sinks.tracker().attempts(), (System.nanoTime() - start) / 1_000_000, into));
                out.flush();
            }
            throw e;
        } finally {
            if (sinks.progress() != null) {
                sinks.progress().finish();
            }
        }
        if (!quiet) {
            sinks.trace().summary(result);
        }
        out.print(PullRenderer.render(result, into, options.formatOption.output, sinks.tracker().resumedAt()));
        out.flush();
        return 0;
    }
}
