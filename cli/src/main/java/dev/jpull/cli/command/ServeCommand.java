package dev.jpull.cli.command;

import dev.jpull.Jpull;
import dev.jpull.LocalMirror;
import dev.jpull.MirrorRequest;
import dev.jpull.PullListener;
import dev.jpull.RegistriesConfig;
import dev.jpull.cli.option.CommonOptions;
import dev.jpull.cli.option.DurationConverter;
import dev.jpull.cli.option.GraceOption;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jpull serve}: the node-local mirror that gives containerd's pulls jpull's failover. */
@Command(name = "serve",
        description = {
            "Serve a read-only, node-local registry mirror: containerd lists it first for every registry "
                    + "(`jpull config render --local-mirror`), and every image pull on the node gets jpull's "
                    + "failover, verification and shared downloads. Requests are routed by containerd's ?ns= "
                    + "to the endpoints the configuration gives that registry (minus this mirror); verified "
                    + "content is kept in --store and served from there.",
            "Endpoints: /v2/ (GET, HEAD of manifests and blobs, Range), /healthz, /metrics (Prometheus). One "
                    + "access-log line per request on stderr. SIGTERM or SIGINT: stop accepting, let requests in "
                    + "progress finish for --grace, exit 0.",
        })
public final class ServeCommand implements Callable<Integer> {
    @ParentCommand
    JpullCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions options;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:5050",
            description = "Where to listen (port 0: any free port). Default: ${DEFAULT-VALUE}. An address that is "
                    + "not loopback needs --allow-remote.")
    String listen;

    @Option(names = "--allow-remote", description = "Accept a --listen address that is not loopback (anyone who "
            + "reaches it can pull through this node's credentials).")
    boolean allowRemote;

    @Option(names = "--default-registry", paramLabel = "HOST", defaultValue = "docker.io",
            description = "The registry of requests without ?ns= (clients other than containerd). "
                    + "Default: ${DEFAULT-VALUE}.")
    String defaultRegistry;

    @Option(names = "--max-downloads", paramLabel = "N", defaultValue = "8",
            description = "Upstream blob downloads at once; more wait. Default: ${DEFAULT-VALUE}.")
    int maxDownloads;

    @Option(names = "--stream-after", paramLabel = "DURATION|never", defaultValue = "10s",
            description = "How long a client waits for a blob being downloaded to be verified before it gets the "
                    + "bytes as they arrive (0: at once; never: always verify first). Bytes of a wrong blob that "
                    + "went out cannot be taken back: containerd keeps them. Default: ${DEFAULT-VALUE}.")
    String streamAfter;

    @Option(names = "--no-stale-tags", description = "Answer 503 for a tag no upstream endpoint can answer for, "
            + "instead of the manifest it last resolved to here (kept in STORE/state/served-tags.json; a tag "
            + "upstream says does not exist is never answered from there).")
    boolean noStaleTags;

    @Mixin
    GraceOption graceOption;

    /** -h, -V, the version and the help headings (last: the help lists -h and -V after the options). */
    @Mixin
    CommandDefaults commandDefaults;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        InetSocketAddress address = address(listen);
        if (maxDownloads < 1) {
            throw new UsageException("invalid --max-downloads " + maxDownloads + ": must be at least 1");
        }
        if (!address.getAddress().isLoopbackAddress() && !allowRemote) {
            throw new UsageException("--listen " + listen + ": " + address.getAddress().getHostAddress()
                    + " is not loopback: anyone who reaches it could pull through this node's credentials; add "
                    + "--allow-remote to accept that");
        }
        RegistriesConfig registries = options.loadConfig(parent.env(), err);
        PullListener warnings = new PullListener() {
            @Override
            public void warning(String message) { // e.g. an unreadable served-tags.json
                synchronized (err) {
                    err.println("jpull serve: warning: " + message);
                    err.flush();
                }
            }
        };
        Jpull jpull = options.builder(parent.env(), registries, warnings, err).endpointMemory(null).build();
        LocalMirror mirror;
        try {
            mirror = LocalMirror.builder(jpull).listen(address).allowRemote(allowRemote)
                    .defaultRegistry(defaultRegistry).maxDownloads(maxDownloads).streamAfter(streamAfter())
                    .memoryTtl(options.memoryTtl.isZero() ? Duration.ofMinutes(5) : options.memoryTtl)
                    .staleTags(!noStaleTags).accessLog(r -> log(err, r)).start();
        } catch (UncheckedIOException e) {
            throw new UsageException("--listen " + listen + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UsageException("--listen " + listen + ": " + e.getMessage());
        }
        if (!address.getAddress().isLoopbackAddress()) {
            err.println("jpull serve: warning: listening on " + address.getAddress().getHostAddress()
                    + ", not loopback: anyone who reaches it can pull through this node's credentials");
        }
        InetSocketAddress bound = mirror.address();
        String host = bound.getAddress().getHostAddress();
        err.println("jpull serve: listening on http://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
                + bound.getPort());
        err.flush();
        GraceOption.awaitStopSignal();
        err.println("jpull serve: stopping (up to " + graceOption.grace.toSeconds()
                + " s for requests in progress)");
        err.flush();
        mirror.stop(graceOption.grace);
        err.println("jpull serve: stopped");
        err.flush();
        return 0;
    }

    private Duration streamAfter() {
        if (streamAfter.equals("never")) {
            return null;
        }
        try {
            return new DurationConverter().convert(streamAfter);
        } catch (Exception e) {
            throw new UsageException("invalid --stream-after " + streamAfter + ": " + e.getMessage());
        }
    }

    private static void log(PrintWriter err, MirrorRequest r) {
        err.println(r.method() + " " + r.path() + " ns=" + (r.registry() == null ? "-" : r.registry()) + " status="
                + r.status() + " bytes=" + r.bytes() + " ms=" + r.millis() + " source=" + r.source()
                + (r.aborted() ? " aborted" : ""));
        err.flush();
    }

    /** {@code HOST:PORT} ({@code [v6]:PORT}), the host a literal address or a name that resolves. */
    static InetSocketAddress address(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new UsageException("invalid --listen " + text + ": expected HOST:PORT, e.g. 127.0.0.1:5050");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new UsageException("invalid --listen " + text + ": port must be 0-65535");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new UsageException("invalid --listen " + text + ": unknown host " + host);
        }
    }
}
