package dev.jpull;

import dev.jpull.internal.serve.MirrorServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A node-local, read-only registry mirror ({@code jpull serve}): containerd lists it first for every registry
 * and every image pull on the node goes through jpull's failover. It answers the distribution API's
 * {@code GET}/{@code HEAD} of manifests and blobs (with {@code Range}), routes each request by containerd's
 * {@code ?ns=<registry>} to the plan jpull would use for that registry and repository (minus the mirror itself),
 * serves verified content from the {@link Jpull.Builder#store store} and fetches the rest upstream, streaming
 * while it downloads: concurrent requests for a blob share one download, a body cut upstream resumes elsewhere
 * with {@code Range}, and a blob that fails verification cuts the client's connection instead of completing it.
 * Manifests by tag are always asked upstream; by digest they come from the store. Also {@code GET /healthz} and
 * Prometheus metrics at {@code GET /metrics}.
 *
 * <pre>{@code
 * Jpull jpull = Jpull.builder().config(RegistriesConfig.load(yaml)).store(Path.of("/var/lib/jpull/serve")).build();
 * try (LocalMirror mirror = LocalMirror.builder(jpull).listen(new InetSocketAddress("127.0.0.1", 5050)).start()) {
 *     ...                                  // mirror.address() is what containerd's hosts.toml names
 * }
 * }</pre>
 */
public final class LocalMirror implements AutoCloseable {
    private final MirrorServer server;

    private LocalMirror(MirrorServer server) {
        this.server = server;
    }

    /** A mirror over {@code jpull}'s plan source, store, transport, credentials and failover policy. */
    public static Builder builder(Jpull jpull) {
        return new Builder(Objects.requireNonNull(jpull, "jpull"));
    }

    /** The address it listens on (the real port when port 0 was asked for). */
    public InetSocketAddress address() {
        return server.address();
    }

    /**
     * Stops accepting requests, lets those in progress finish for up to {@code grace}, then cuts the rest; partial
     * downloads stay in the store and resume on the next run.
     */
    public void stop(Duration grace) {
        server.stop(grace);
    }

    /** {@link #stop} with 10 seconds of grace. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    /** What the mirror will be; {@link #start} binds it. */
    public static final class Builder {
        private final Jpull jpull;
        private InetSocketAddress listen = new InetSocketAddress("127.0.0.1", 5050);
        private boolean allowRemote;
        private String defaultRegistry = "docker.io";
        private int maxDownloads = 8;
        private Duration memoryTtl = Duration.ofMinutes(5);
        private Consumer<MirrorRequest> accessLog = r -> { };
        private Duration streamAfter = Duration.ofSeconds(10);
        private Duration clientStall = Duration.ofSeconds(60);
        private boolean staleTags = true;

        private Builder(Jpull jpull) {
            this.jpull = jpull;
        }

        /** Where to listen; default {@code 127.0.0.1:5050}. Anything but loopback needs {@link #allowRemote}. */
        public Builder listen(InetSocketAddress address) {
            this.listen = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Accepts a non-loopback {@link #listen} address (anyone who reaches it can pull through the mirror). */
        public Builder allowRemote(boolean allow) {
            this.allowRemote = allow;
            return this;
        }

        /** The registry of requests without {@code ?ns=} (a client that is not containerd); default docker.io. */
        public Builder defaultRegistry(String registry) {
            this.defaultRegistry = ImageReference.parse(registry + "/x").registry();
            return this;
        }

        /** Upstream blob downloads at once (default 8); more wait. */
        public Builder maxDownloads(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxDownloads must be at least 1: " + max);
            }
            this.maxDownloads = max;
            return this;
        }

        /** How long a failing endpoint is tried after the healthy ones (default 5 minutes). */
        public Builder memoryTtl(Duration ttl) {
            this.memoryTtl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /**
         * How long a client waits for a blob being downloaded to be verified before it gets the bytes as they
         * arrive (default 10 s; {@link Duration#ZERO}: stream at once; null: never, always verify first). Bytes
         * that went out before the end showed the blob wrong cannot be taken back: containerd keeps them and its
         * copy of the blob stays wrong. Verifying first costs the download's time before the first byte.
         */
        public Builder streamAfter(Duration wait) {
            if (wait != null && wait.isNegative()) {
                throw new IllegalArgumentException("streamAfter must not be negative: " + wait);
            }
            this.streamAfter = wait;
            return this;
        }

        /**
         * How long a client may leave a write to it blocked (it stopped reading) before its connection is cut
         * (default 60 s): each such client holds a thread and a connection of the mirror's 1024.
         */
        public Builder clientStall(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("clientStall must be positive: " + timeout);
            }
            this.clientStall = timeout;
            return this;
        }

        /**
         * Whether a tag no upstream endpoint can answer for (every one unavailable; none saying it does not exist) is
         * answered with the manifest it last resolved to through this store, as distribution's pull-through cache
         * does (default true): pods keep starting on a node whose registry and mirrors are all down. The tags are
         * kept in {@code STORE/state/served-tags.json}; the access log names such an answer's source
         * {@code store-stale}.
         */
        public Builder staleTags(boolean serve) {
            this.staleTags = serve;
            return this;
        }

        /** Receives one record per request answered (from the client threads; must be thread-safe). */
        public Builder accessLog(Consumer<MirrorRequest> log) {
            this.accessLog = Objects.requireNonNull(log, "log");
            return this;
        }

        /**
         * Binds and starts serving. Throws {@link IllegalArgumentException} for a non-loopback address without
         * {@link #allowRemote}, {@link java.io.UncheckedIOException} when the address cannot be bound,
         * {@link StoreException} when the store cannot be used.
         */
        public LocalMirror start() {
            if (listen.isUnresolved()) {
                throw new IllegalArgumentException("cannot resolve listen address " + listen.getHostString());
            }
            if (!listen.getAddress().isLoopbackAddress() && !allowRemote) {
                throw new IllegalArgumentException("listen address " + listen.getAddress().getHostAddress()
                        + " is not loopback: allow remote clients explicitly");
            }
            return new LocalMirror(MirrorServer.start(new MirrorServer.Settings(listen, defaultRegistry,
                    maxDownloads, memoryTtl, streamAfter, clientStall, accessLog, staleTags, jpull::warn),
                    jpull::objectFetcher, jpull.planSource(), jpull.storeDir()));
        }
    }
}
