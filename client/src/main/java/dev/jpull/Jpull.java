package dev.jpull;

import dev.jpull.internal.diagnose.Diagnoser;
import dev.jpull.internal.auth.Authenticator;
import dev.jpull.spi.CredentialSource;
import dev.jpull.internal.auth.RegistriesYamlCredentials;
import dev.jpull.internal.http.HttpClients;
import dev.jpull.internal.http.Transport;
import dev.jpull.internal.pull.PlatformMatcher;
import dev.jpull.internal.pull.PlatformSelection;
import dev.jpull.internal.pull.PullEvents;
import dev.jpull.internal.pull.Puller;
import dev.jpull.internal.registry.EndpointMemory;
import dev.jpull.internal.registry.EndpointStats;
import dev.jpull.internal.registry.Exchange;
import dev.jpull.internal.store.EndpointMemoryFile;
import dev.jpull.internal.store.OciDestination;
import dev.jpull.internal.store.Ingest;
import dev.jpull.internal.store.OciStore;
import dev.jpull.internal.archive.ArchiveWriter;
import dev.jpull.spi.Destination;
import dev.jpull.spi.PlanSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Entry point of the jpull library: resolves image references to endpoint plans and pulls images into an OCI
 * image layout store (or another {@link Destination}), failing over between endpoints per request.
 *
 * <p>Instances are immutable and thread-safe: one instance may serve {@link #pull} and {@link #resolve} calls from
 * many threads at once, for the same or different images, into the same store. They share one HTTP connection
 * pool and one token cache. Concurrent pulls of the same blob into one store download it once: the others wait
 * for its store-wide lock and then report it {@linkplain BlobResult#cached() cached} (this holds across
 * processes too). The {@link PullListener} is called from the pulling threads and must be thread-safe; every
 * event names its pull ({@link PullContext}), so one listener can follow concurrent pulls.
 *
 * <pre>{@code
 * Jpull jpull = Jpull.builder()
 *         .config(RegistriesConfig.load(Path.of("/etc/rancher/k3s/registries.yaml")))
 *         .store(Path.of("/var/lib/ci/images"))
 *         .listener(new PullListener() {
 *             public void attemptFailed(Attempt a) { log(a.endpoint() + " " + a.outcome()); }
 *         })
 *         .build();
 * PullResult result = jpull.pull("docker.io/library/alpine:3.20");   // PullFailedException if every endpoint failed
 * }</pre>
 */
public final class Jpull {
    /** The youngest an unused blob may be to go for {@link #pruneBlobs(Duration, long)}'s size bound. */
    public static final Duration PRUNE_MIN_AGE = Duration.ofMinutes(10);

    private final RegistriesConfig config;
    private final Path store;
    private final String platform;
    private final List<String> platforms;
    private final boolean allPlatforms;
    private final Timeouts timeouts;
    private final PullListener listener;
    private final int concurrency;
    private final Transport transport;
    private final Authenticator authenticator;
    private final CredentialSource credentials;
    private final ProxyConfig proxies;
    private final PlanSource planSource;
    private final boolean verifyCached;
    private final FailoverPolicy failoverPolicy;
    private final Destination destination;
    private final Path endpointMemory;
    private final Duration endpointMemoryTtl;

    private Jpull(Builder b) {
        this.endpointMemory = b.endpointMemory;
        this.endpointMemoryTtl = b.endpointMemoryTtl;
        this.destination = b.destination;
        this.verifyCached = b.verifyCached;
        this.failoverPolicy = b.failoverPolicy;
        this.config = b.config;
        this.planSource = b.planSource != null ? b.planSource
                : PlanSource.registries(b.config, b.disableDefaultEndpoint);
        this.store = b.destination != null ? b.store : Objects.requireNonNull(b.store, "store");
        this.platform = b.platform;
        this.platforms = b.platforms;
        this.allPlatforms = b.allPlatforms;
        this.timeouts = b.timeouts;
        this.listener = b.listener;
        this.concurrency = b.concurrency;
        this.credentials = b.credentials != null ? b.credentials
                : b.dockerConfig ? CredentialSource.standard() : new RegistriesYamlCredentials();
        ProxyConfig p = b.proxies != null ? b.proxies : ProxyConfig.fromEnvironment(System.getenv());
        this.proxies = b.proxyLoopback != null ? p.withProxyLoopback(b.proxyLoopback) : p;
        // the one registry transport: pull, the token fetcher and diagnose all send through it
        this.transport = new Transport(new HttpClients(timeouts, proxies, b.httpTrace));
        this.authenticator = new Authenticator(transport, credentials);
    }

    /** A builder with the defaults: no mirrors, host platform, 3 blobs at a time, standard credentials. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Stops every operation of this client in progress, from any thread: requests in flight are cancelled and
     * every later request fails, so a {@link #pull} in progress ends soon with a {@link JpullException} (what was
     * verified stays in the store; partial blobs stay for the next client to resume). This client cannot be used
     * afterwards. For a caller that must stop a pull it did not start on its own thread (a daemon's client that
     * went away); a pull's waits also end when its thread is interrupted.
     */
    public void cancel() {
        transport.clients().cancelAll();
    }

    /**
     * The endpoint plan for {@code image}, without network access, from the {@link Builder#planSource} (default
     * the registries.yaml of {@link Builder#config}). The plan carries the configuration's warnings
     * ({@link EndpointPlan#warnings()}); nothing else reports them. Throws {@link ReferenceException}.
     */
    public EndpointPlan resolve(String image) {
        return planSource.resolve(ImageReference.parse(image));
    }

    /**
     * Resolves {@code image} and pulls it ({@link #pull(EndpointPlan)}) into the store (or the
     * {@link Builder#destination destination}), passing the plan's warnings to the listener's
     * {@link PullListener#warning} first (to show them yourself, {@link #resolve} and pull the plan).
     * Throws {@link ReferenceException} for a malformed reference, {@link PullFailedException} when an object
     * could not be fetched from any endpoint.
     */
    public PullResult pull(String image) {
        EndpointPlan plan = resolve(image);
        plan.warnings().forEach(w -> listener.warning(w.located()));
        return pull(plan);
    }

    /**
     * Pulls the image of {@code plan} into the store from the plan's endpoints, as given (it is not resolved
     * again). Throws {@link PullFailedException} when an object could not be fetched from any endpoint.
     */
    public PullResult pull(EndpointPlan plan) {
        Objects.requireNonNull(plan, "plan");
        PlatformSelection selection = platformSelection();
        PullEvents events = PullEvents.of(listener, plan.reference()); // every event of this pull carries its id
        try {
            return events.run(() -> {
                Destination into = destination != null ? destination : OciDestination.open(store);
                Exchange exchange = new Exchange(transport, authenticator, timeouts, events);
                return new Puller(exchange, into, selection, events, concurrency, verifyCached, failoverPolicy,
                        memory(events::warning)).pull(plan);
            });
        } catch (PullFailedException e) {
            throw e.reference() != null ? e : e.in(plan.reference()); // the message names the image
        }
    }

    /**
     * The digest {@code image} resolves to now, without pulling ({@code jpull digest}): a {@code HEAD} of its
     * manifest (a {@code GET} where the HEAD gives no usable {@code Docker-Content-Digest}) with the failover of a
     * pull; for a multi-platform tag the index's digest, as {@code skopeo inspect} prints it. A reference by digest
     * is checked to exist. Throws {@link ReferenceException}, {@link PullFailedException} (every endpoint failed).
     */
    public DigestResult digest(String image) {
        EndpointPlan plan = planWithWarnings(image);
        var ref = plan.reference();
        try {
            var f = objectFetcher(memory(listener::warning)).digest(plan, ref.manifestReference(), ref.digest());
            return new DigestResult(ref.toString(), f.value().digest(), f.value().mediaType(), f.endpoint(),
                    f.attempts());
        } catch (PullFailedException e) {
            throw e.reference() != null ? e : e.in(ref);
        }
    }

    /**
     * As {@link #digest(String)}, the digest of {@code platform}'s image manifest ({@code os/arch[/variant]}) when
     * the reference names an index (the manifest's own digest otherwise); {@code null}: the index's digest.
     * An index without that platform is a {@link PullFailedException}.
     */
    public DigestResult digest(String image, String platform) {
        if (platform == null) {
            return digest(image);
        }
        InspectResult r = fetchInspect(image, PlatformMatcher.forSpec(platform), false);
        return new DigestResult(r.reference(), r.manifestDigest(), r.manifestMediaType(), r.endpoint(),
                r.attempts());
    }

    /**
     * The manifest {@code image} names and its image config, without pulling ({@code jpull inspect}, as
     * {@code skopeo inspect}): for a multi-platform tag the index as received and the image of the
     * {@link Builder#platform} (default the host's). Throws {@link ReferenceException}, {@link PullFailedException}.
     */
    public InspectResult inspect(String image) {
        return inspect(image, null);
    }

    /** As {@link #inspect(String)}, choosing {@code platform}'s image below an index ({@code null}: the builder's). */
    public InspectResult inspect(String image, String platform) {
        return fetchInspect(image, PlatformMatcher.forSpec(platform != null ? platform : this.platform), true);
    }

    /**
     * Only the manifest {@code image} names, as received ({@code jpull inspect --raw}): nothing below an index, no
     * config, so {@link InspectResult#image()} and {@link InspectResult#rawConfig()} are null.
     */
    public InspectResult inspectManifest(String image) {
        return fetchInspect(image, null, false);
    }

    /**
     * As {@link #inspect(String, String)} for an image pulled into the {@link Builder#store store}, without network
     * (crictl's {@code inspecti}): the manifest its entry names (for a pull, the platform image). An image not in
     * the store is a {@link NoSuchImageException}.
     */
    public InspectResult inspectStored(String image, String platform) {
        return Inspections.stored(existingStore(), Objects.requireNonNull(image, "image"),
                PlatformMatcher.forSpec(platform != null ? platform : this.platform));
    }

    private InspectResult fetchInspect(String image, PlatformMatcher matcher, boolean config) {
        EndpointPlan plan = planWithWarnings(image);
        var ref = plan.reference();
        try {
            var f = objectFetcher(memory(listener::warning)).inspect(plan, ref.manifestReference(), ref.digest(),
                    matcher, config);
            return Inspections.of(ref, f.value(), f.endpoint(), f.attempts());
        } catch (PullFailedException e) {
            throw e.reference() != null ? e : e.in(ref);
        }
    }

    /**
     * Every tag of {@code repository} ({@code alpine}, {@code 127.0.0.1:5000/team/app}; no tag or digest), all
     * pages of the registry's {@code Link} pagination, with the failover of a pull ({@code jpull tags}).
     * Throws {@link ReferenceException}, {@link PullFailedException}.
     */
    public TagList tags(String repository) {
        return tags(repository, 0);
    }

    /** As {@link #tags(String)}, asking the registry for pages of {@code pageSize} tags ({@code n}; 0: its default). */
    public TagList tags(String repository, int pageSize) {
        if (pageSize < 0) {
            throw new IllegalArgumentException("invalid page size " + pageSize + ": must not be negative");
        }
        String last = repository.substring(repository.lastIndexOf('/') + 1);
        if (last.contains(":") || repository.contains("@")) {
            throw new ReferenceException(repository, "a repository has no tag or digest (tags lists its tags)");
        }
        EndpointPlan plan = planWithWarnings(repository);
        var ref = plan.reference();
        try {
            var f = objectFetcher(memory(listener::warning)).tags(plan, pageSize);
            return new TagList(ref.name(), f.value(), f.endpoint(), f.attempts());
        } catch (PullFailedException e) {
            throw e.reference() != null ? e : e.in(ref);
        }
    }

    private EndpointPlan planWithWarnings(String image) {
        EndpointPlan plan = resolve(image);
        plan.warnings().forEach(w -> listener.warning(w.located()));
        return plan;
    }

    /**
     * The images of an index a pull takes: the {@link Builder#platforms} named (the first preferred), else the one
     * {@link Builder#platform}; with {@link Builder#allPlatforms} every one, that platform preferred.
     */
    private PlatformSelection platformSelection() {
        List<PlatformMatcher> named = platforms.isEmpty() ? List.of(PlatformMatcher.forSpec(platform))
                : platforms.stream().map(PlatformMatcher::forSpec).toList();
        return new PlatformSelection(allPlatforms, allPlatforms ? named.subList(0, 1) : named);
    }

    /**
     * What earlier pulls remember of the endpoints they used ({@link Builder#endpointMemory}), by
     * {@link Endpoint#baseUrl()}, without the expired entries; empty without a memory. Never fails: a memory file
     * that cannot be read is reported to the listener's {@link PullListener#warning(String)} and remembers nothing.
     */
    public Map<String, RememberedEndpoint> rememberedEndpoints() {
        Map<String, RememberedEndpoint> shown = new TreeMap<>();
        for (EndpointStats s : memory(listener::warning).recall().values()) {
            shown.put(s.baseUrl(), new RememberedEndpoint(s.baseUrl(), s.outcome(), Instant.ofEpochMilli(s.atMillis()),
                    s.rttMillis(), s.bytesPerSecond()));
        }
        return java.util.Collections.unmodifiableMap(shown);
    }

    /** The endpoint memory of one pull (or one look at it), warning {@code warnings}. */
    private EndpointMemory memory(Consumer<String> warnings) {
        return endpointMemory == null ? EndpointMemory.NONE
                : new EndpointMemoryFile(endpointMemory, endpointMemoryTtl, java.time.Clock.systemUTC(), warnings,
                        destination != null); // the OCI store is made by its first blob, not by the memory
    }

    /**
     * Re-hashes the store's blobs: every blob when {@code images} is empty, else those {@code images} (references,
     * normalised as for {@link #pull}) need, and reports what is missing. Every bad blob (wrong size or content,
     * a link or directory in its place) is removed, so the next pull fetches it again. An image not in the store
     * is a {@link NoSuchImageException}. The report's {@link VerifyReport#clean()} is false when
     * something was bad or missing (the CLI exits 1, like fsck).
     */
    public VerifyReport verify(List<String> images) {
        return StoreImages.verify(existingStore(), images);
    }

    /**
     * The images of the store, in {@code index.json} order; an entry without a ref name (a copy into the layout
     * that named nothing) has a null {@link ImageSummary#reference()}.
     */
    public List<ImageSummary> images() {
        return StoreImages.list(existingStore(), null);
    }

    /**
     * The images of the store in {@code repository} (normalised as for {@link #pull}: {@code alpine} is
     * {@code docker.io/library/alpine}): all its tags and digests, or just the one reference when
     * {@code repository} names a tag or digest, like {@code crictl images REPOSITORY[:TAG]}. Throws
     * {@link ReferenceException} when it is malformed.
     */
    public List<ImageSummary> images(String repository) {
        return StoreImages.list(existingStore(), Objects.requireNonNull(repository, "repository"));
    }

    /** What the store's {@code ingest/} directory holds: partial downloads kept for resuming, temporary files. */
    public IngestUsage ingest() {
        return Ingest.usage(existingStore());
    }

    /**
     * Removes the partial downloads and temporary files of {@code ingest/} last written more than
     * {@code olderThan} ago ({@link Duration#ZERO}: all of them), except those a pull is using (a partial is
     * removed only while holding its blob's lock, a temporary file only when older than 10 minutes too).
     */
    public PruneReport prune(Duration olderThan) {
        if (olderThan.isNegative()) {
            throw new IllegalArgumentException("olderThan must not be negative: " + olderThan);
        }
        return Ingest.prune(existingStore(), olderThan, Instant.now());
    }

    /**
     * Deletes the store's blobs that no image uses and whose file was modified longer than {@code olderThan} ago
     * ({@code jpull prune --blobs}): what {@code jpull serve} cached for clients and no client asked for since (it
     * marks a blob it answers as used), what removed images left. Newer ones stay (a pull in progress has not
     * tagged its image yet). Throws {@link StoreException}
     * without deleting anything when an image of the store cannot be read.
     */
    public BlobPruneReport pruneBlobs(Duration olderThan) {
        return pruneBlobs(olderThan, Long.MAX_VALUE);
    }

    /**
     * As {@link #pruneBlobs(Duration)}, and then, while the unused blobs left take more than {@code keepBytes}, the
     * least recently modified of them go too ({@code jpull prune --blobs --keep-storage}: a size for
     * {@code jpull serve}'s cache), except any modified in the last {@link #PRUNE_MIN_AGE} (a pull in progress).
     * {@code keepBytes} {@link Long#MAX_VALUE}: no such bound; 0: every unused blob old enough.
     */
    public BlobPruneReport pruneBlobs(Duration olderThan, long keepBytes) {
        if (olderThan.isNegative()) {
            throw new IllegalArgumentException("olderThan must not be negative: " + olderThan);
        }
        if (keepBytes < 0) {
            throw new IllegalArgumentException("keepBytes must not be negative: " + keepBytes);
        }
        OciStore s = existingStore();
        Instant now = Instant.now();
        return s == null ? BlobPruneReport.NONE : s.pruneBlobs(now.minus(olderThan), keepBytes,
                now.minus(PRUNE_MIN_AGE));
    }

    /**
     * Writes {@code images} (references, normalised as for {@link #pull}) from the store into the tar
     * {@code out}: an OCI image layout with Docker's {@code manifest.json} (see {@link ArchiveWriter}). Does not
     * pull: an image not in the store is a {@link NoSuchImageException}, like {@code docker save}; an {@code out}
     * that cannot be written is a {@link DestinationException}, an empty {@code images} an
     * {@link IllegalArgumentException}.
     */
    public List<ImageSummary> save(List<String> images, Path out) {
        return StoreImages.save(existingStore(), images, out);
    }

    /**
     * As {@link #save(List, Path)}, writing the archive to {@code out} as it goes (a pipe: {@code jpull save -o -
     * IMAGE | ctr images import -}); {@code out} is flushed, not closed. Every image is checked to be complete in the
     * store before the first byte is written; {@code name} names {@code out} in errors (e.g. {@code stdout}).
     */
    public List<ImageSummary> save(List<String> images, java.io.OutputStream out, String name) {
        return StoreImages.save(existingStore(), images, Objects.requireNonNull(out, "out"), name);
    }

    /**
     * Imports the image archive {@code file} into the store, as {@code docker load} and {@code ctr images import}
     * do: an OCI image layout in a tar (what {@link #save} writes, skopeo's {@code oci-archive}, docker 25's save;
     * digests kept) or a Docker archive ({@code manifest.json}: skopeo's {@code docker-archive}, older docker save;
     * jpull writes the manifests such an archive lacks). Each image is tagged with the name the archive gives it
     * (normalised as for {@link #pull}), or added without a name when it gives none. Every blob is verified on
     * the way in. An unreadable or corrupt archive is an {@link ArchiveException}.
     */
    public LoadResult load(Path file) {
        return StoreImages.load(openStore(), Objects.requireNonNull(file, "file"));
    }

    /**
     * Removes what {@code image} names from the store and deletes the blobs no remaining reference uses
     * ({@link OciStore#remove}), as {@code crictl rmi} reads its argument: a reference (as stored, else
     * normalised as for {@link #pull}), else an image ID or manifest digest ({@code sha256:61cd...}) or a unique
     * prefix of its hex ({@code 61cd703034b4}), which removes every reference of that image. Nothing of that
     * name, ID or digest is a {@link NoSuchImageException}; an ambiguous prefix a {@link ReferenceException}.
     *
     * @return one element per removed {@code index.json} entry
     */
    public List<RemovedImage> rmi(String image) {
        return StoreImages.rmi(existingStore(), image);
    }

    /**
     * Removes every entry of the store that no reference names (an {@code index.json} entry without a ref name,
     * as a copy into the layout that names nothing leaves), with the blobs no named entry uses
     * ({@code jpull rmi --prune}).
     */
    public List<RemovedImage> rmiUnnamed() {
        return StoreImages.pruneUnnamed(existingStore());
    }

    /**
     * The store for reading and removing: null when its directory does not exist (an empty store, which these
     * operations do not create: {@code jpull images} on a fresh machine leaves nothing behind).
     */
    private OciStore existingStore() {
        if (store == null) {
            return openStore(); // says there is none
        }
        Path root = store.toAbsolutePath().normalize();
        return java.nio.file.Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                || java.nio.file.Files.isSymbolicLink(root) ? openStore() : null;
    }

    private OciStore openStore() {
        if (store == null) {
            throw new IllegalStateException("no store: this Jpull pulls into a destination; "
                    + "give Builder#store to read a store");
        }
        return OciStore.open(store);
    }

    /** A fetcher of single objects with this instance's transport, credentials and policy ({@link LocalMirror}). */
    dev.jpull.internal.pull.ObjectFetcher objectFetcher(EndpointMemory memory) {
        Exchange exchange = new Exchange(transport, authenticator, timeouts, listener);
        return new dev.jpull.internal.pull.ObjectFetcher(exchange, listener, failoverPolicy, memory);
    }

    PlanSource planSource() {
        return planSource;
    }

    /** Where {@link LocalMirror}'s warnings go: this instance's listener. */
    void warn(String message) {
        listener.warning(message);
    }

    /** The store directory (required by {@link LocalMirror}). */
    Path storeDir() {
        return openStore().root();
    }

    /** Where credentials come from (see {@link Builder#credentials}); for diagnostics such as {@code resolve}. */
    public CredentialSource credentials() {
        return credentials;
    }

    /**
     * Checks {@code username}/{@code password} against {@code registry} as {@code skopeo login} does, before
     * anything is stored: {@code GET /v2/} of the registry's own endpoint in this instance's plan (its TLS
     * settings, the transport's proxies and trace), the challenge answered with them (Basic, or a Bearer token).
     * The plan's mirrors are not asked: credentials for a registry are never sent to another host. Store them
     * afterwards with {@link RegistryLogin#store}.
     *
     * @param registry {@code host[:port]}, e.g. {@code registry.example.com:5000}
     * @throws LoginFailedException when the registry rejects them or cannot be asked (nothing is stored)
     * @throws ReferenceException   when {@code registry} is not a registry name
     */
    public void checkLogin(String registry, String username, String password) {
        Endpoint ep = RegistryLogin.ownEndpoint(this, registry);
        new dev.jpull.internal.registry.LoginCheck(transport, timeouts)
                .check(ep, new dev.jpull.spi.Credentials(username, password == null ? "" : password, null));
    }

    /** The proxies in use (see {@link Builder#proxies}). */
    public ProxyConfig proxies() {
        return proxies;
    }

    /**
     * Probes every endpoint of the plan for {@code image} (DNS, TCP, TLS, ping, auth, manifest HEAD) and says per
     * endpoint whether it can serve the image; when more than one can, compares the digest each serves with the
     * registry's own ({@link DiagnosisReport#drift()}: a stale mirror, a mirror lacking blobs of the
     * {@link Builder#platform platform}'s image). Throws {@link ReferenceException} for a malformed reference.
     */
    public DiagnosisReport diagnose(String image) {
        return diagnose(resolve(image));
    }

    /** As {@link #diagnose(String)}, for the endpoints of {@code plan} as given (it is not resolved again). */
    public DiagnosisReport diagnose(EndpointPlan plan) {
        return new Diagnoser(config, transport, timeouts, credentials, PlatformMatcher.forSpec(platform))
                .diagnose(Objects.requireNonNull(plan));
    }

    /** Configures a {@link Jpull}. */
    public static final class Builder {
        private RegistriesConfig config = RegistriesConfig.empty();
        private Path store;
        private String platform;
        private List<String> platforms = List.of();
        private boolean allPlatforms;
        private boolean disableDefaultEndpoint;
        private Timeouts timeouts = Timeouts.DEFAULTS;
        private PullListener listener = PullListener.NONE;
        private int concurrency = 3;
        private CredentialSource credentials;
        private boolean dockerConfig = true;
        private ProxyConfig proxies;
        private Boolean proxyLoopback;
        private PlanSource planSource;
        private Consumer<String> httpTrace;
        private boolean verifyCached;
        private FailoverPolicy failoverPolicy = FailoverPolicy.DEFAULT;
        private Destination destination;
        private Path endpointMemory;
        private Duration endpointMemoryTtl = EndpointMemoryFile.DEFAULT_TTL;

        /** The K3s registries.yaml contents; default: no mirrors. */
        public Builder config(RegistriesConfig config) {
            this.config = Objects.requireNonNull(config);
            return this;
        }

        /**
         * Where endpoint plans come from instead of the registries.yaml of {@link #config} (e.g. a containerd
         * {@link PlanSource#hostsDir} or {@link PlanSource#containerdConfig}); when set,
         * {@link #config} and {@link #disableDefaultEndpoint} are not used for plans. Must be thread-safe if
         * {@link #pull} is called concurrently.
         */
        public Builder planSource(PlanSource planSource) {
            this.planSource = Objects.requireNonNull(planSource);
            return this;
        }

        /**
         * The OCI layout directory to pull into (created when missing), and that {@link Jpull#images},
         * {@link Jpull#save}, {@link Jpull#rmi} and {@link Jpull#verify} read. Required unless a
         * {@link #destination} is given.
         */
        public Builder store(Path store) {
            this.store = store;
            return this;
        }

        /** {@code os/arch[/variant]}; default: the host's platform. */
        public Builder platform(String platform) {
            this.platform = platform;
            return this;
        }

        /**
         * Pull the image of each of these platforms ({@code os/arch[/variant]}, chosen as for {@link #platform})
         * from a multi-platform index, each image once, its blobs fetched once however many platforms share them
         * ({@code jpull pull --platform A --platform B}). The store then names an index of just those images under
         * the reference (the registry's own index when they are all it lists), so it holds everything it names, and
         * {@link PullResult#platforms()} lists each. A platform the index has no image for fails the pull. The first
         * is preferred: its image is the one {@link PullResult#imageId()} names and containerd unpacks. One
         * platform is the same as {@link #platform}; empty (the default): {@link #platform}. A reference that names
         * an image manifest, not an index, is pulled as usual.
         */
        public Builder platforms(List<String> platforms) {
            this.platforms = List.copyOf(platforms);
            return this;
        }

        /**
         * Pull every image of a multi-platform index (nested indexes followed), each blob once, and name the index
         * under the reference, so that the store (and {@link Jpull#save}) holds the whole multi-platform image:
         * what {@code skopeo copy --all} and {@code ctr images import --all-platforms} read
         * ({@code jpull pull --all-platforms}). {@link #platform} (or the first of {@link #platforms}) is then the
         * preferred one, whose image {@link PullResult#imageId()} names. A reference that names an image manifest
         * is pulled as usual. Default false.
         */
        public Builder allPlatforms(boolean all) {
            this.allPlatforms = all;
            return this;
        }

        /** Do not append the registry's own endpoint after the mirrors. */
        public Builder disableDefaultEndpoint(boolean disable) {
            this.disableDefaultEndpoint = disable;
            return this;
        }

        /**
         * Connect, TLS, response-header and idle-read limits of every request, and the low-speed limit of every
         * body ({@link Timeouts#withLowSpeedLimit}); default {@link Timeouts#DEFAULTS}.
         */
        public Builder timeouts(Timeouts timeouts) {
            this.timeouts = Objects.requireNonNull(timeouts);
            return this;
        }

        /**
         * Receives the events of every pull (failover, progress, warnings), each with the {@link PullContext} of
         * its pull; default {@link PullListener#NONE}. Called from the pulling threads, so it must be thread-safe.
         */
        public Builder listener(PullListener listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        /** How many blobs are downloaded at the same time; default 3. @throws IllegalArgumentException if below 1 */
        public Builder concurrency(int concurrency) {
            if (concurrency < 1) {
                throw new IllegalArgumentException("invalid concurrency " + concurrency + ": must be at least 1");
            }
            this.concurrency = concurrency;
            return this;
        }

        /**
         * Where credentials come from. Default: {@link CredentialSource#standard()} — registries.yaml
         * {@code configs}, then {@code $REGISTRY_AUTH_FILE} or the containers {@code auth.json} files, then
         * Docker's {@code config.json} (with credential helpers). A source given here replaces the whole chain;
         * compose with {@link CredentialSource#chain} to keep registries.yaml first.
         */
        public Builder credentials(CredentialSource credentials) {
            this.credentials = Objects.requireNonNull(credentials);
            return this;
        }

        /**
         * With false, the default chain is only registries.yaml {@code configs}: no Docker {@code config.json},
         * no containers {@code auth.json}, no credential helpers. No effect when {@link #credentials} is set.
         */
        public Builder dockerConfig(boolean use) {
            this.dockerConfig = use;
            return this;
        }

        /**
         * Proxies for all requests. Default: {@link ProxyConfig#fromEnvironment} of the process environment
         * ({@code HTTPS_PROXY}, {@code HTTP_PROXY}, {@code NO_PROXY}); {@link ProxyConfig#NONE} for none.
         */
        public Builder proxies(ProxyConfig proxies) {
            this.proxies = Objects.requireNonNull(proxies);
            return this;
        }

        /**
         * Let requests to localhost and loopback addresses go through the proxy too (Go, and so jpull by default,
         * always connects to them directly). For tests and diagnosis; overrides {@code JPULL_PROXY_LOOPBACK}.
         */
        public Builder proxyLoopback(boolean on) {
            this.proxyLoopback = on;
            return this;
        }

        /**
         * Describes every HTTP request and response to {@code sink} (headers only, secrets redacted; see
         * {@link dev.jpull.internal.http.HttpTrace}), for debugging. Default null: no trace. The sink is called from the
         * threads doing the requests and must be thread-safe.
         */
        public Builder httpTrace(Consumer<String> sink) {
            this.httpTrace = sink;
            return this;
        }

        /**
         * Re-hash the blobs of the pulled image that are already in the store (default false: only their size is
         * checked); a bad one is removed and downloaded again ({@code jpull pull --verify}).
         */
        public Builder verifyCached(boolean verify) {
            this.verifyCached = verify;
            return this;
        }

        /**
         * How every request fails over between the endpoints of its plan: retry rounds, backoff, which outcomes
         * are retried or put an endpoint last, 429 waits, blob resume rounds. Default {@link FailoverPolicy#DEFAULT}.
         */
        public Builder failoverPolicy(FailoverPolicy policy) {
            this.failoverPolicy = Objects.requireNonNull(policy);
            return this;
        }

        /**
         * Where pulls write instead of the {@link #store} (containerd's content store, a mirror, a test's fake):
         * every blob and manifest goes through its {@link Destination#openWriter writers}, and the image is
         * recorded with {@link Destination#recordImage}. Default: the OCI layout store at {@link #store}. Must be
         * thread-safe (blobs are written concurrently).
         */
        public Builder destination(Destination destination) {
            this.destination = Objects.requireNonNull(destination);
            return this;
        }

        /**
         * Keep endpoint state across pulls in {@code file} (a small JSON file, e.g. {@code STORE/state/endpoints.json}
         * as the CLI does; its directory is created {@code rwx------} when missing): per endpoint the last outcome,
         * when, the round trip and throughput observed. A pull recalls it first, so endpoints that answered lately
         * are tried first and one that failed lately is not waited on, and saves what it saw when it ends. Shared
         * safely by concurrent pulls and processes; a file that cannot be read or written is ignored with a
         * {@link PullListener#warning warning}, never failing a pull. Default null: no memory (each pull starts
         * from the plan's order alone).
         */
        public Builder endpointMemory(Path file) {
            this.endpointMemory = file;
            return this;
        }

        /**
         * How long a remembered entry is used ({@link #endpointMemory}), so a recovered mirror is tried first
         * again; default 5 minutes. @throws IllegalArgumentException unless positive
         */
        public Builder endpointMemoryTtl(Duration ttl) {
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("invalid endpoint memory ttl " + ttl + ": must be positive");
            }
            this.endpointMemoryTtl = ttl;
            return this;
        }

        /** @throws ConfigException if a proxy variable of the environment cannot be parsed */
        public Jpull build() {
            return new Jpull(this);
        }
    }
}
