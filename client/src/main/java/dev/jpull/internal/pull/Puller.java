package dev.jpull.internal.pull;

import dev.jpull.BlobResult;
import dev.jpull.EndpointPlan;
import dev.jpull.FailoverPolicy;
import dev.jpull.PullFailedException;
import dev.jpull.PullListener;
import dev.jpull.PullResult;
import dev.jpull.Target;
import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.ImageManifest;
import dev.jpull.internal.oci.JsonTrees;
import dev.jpull.internal.oci.Platform;
import dev.jpull.internal.registry.EndpointMemory;
import dev.jpull.internal.registry.Exchange;
import dev.jpull.internal.registry.FetchedManifest;
import dev.jpull.internal.registry.GetManifest;
import dev.jpull.internal.registry.RegistryExecutor.Served;
import dev.jpull.internal.registry.RegistryExecutor;
import dev.jpull.spi.BlobDescriptor;
import dev.jpull.spi.Destination;
import dev.jpull.spi.ImagePlatform;
import dev.jpull.spi.PulledImage;
import dev.jpull.spi.PulledIndex;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pulls one image: resolves the manifest (choosing the platform from an index, following nested indexes with
 * {@link IndexWalker}), downloads config and layers into the {@link Destination} with verification, stores the
 * manifest, then records the image there under its reference. The destination is the only place content goes
 * (the OCI layout store, or whatever implements the interface). Every manifest was validated when it was
 * received ({@code GetManifest}), so an invalid one already failed over to the next endpoint.
 */
public final class Puller {

    private final Exchange exchange;
    private final Destination destination;
    private final PlatformMatcher platform;
    private final PullListener listener;
    private final int concurrency;
    private final boolean verifyCached;
    private final FailoverPolicy policy;
    private final EndpointMemory memory;
    private final PlatformSelection selection;

    public Puller(Exchange exchange, Destination destination, PlatformMatcher platform, PullListener listener,
                  int concurrency) {
        this(exchange, destination, platform, listener, concurrency, false);
    }

    /** @param verifyCached re-hash the blobs of the image already in the store (bad ones are fetched again) */
    public Puller(Exchange exchange, Destination destination, PlatformMatcher platform, PullListener listener,
                  int concurrency, boolean verifyCached) {
        this(exchange, destination, platform, listener, concurrency, verifyCached, FailoverPolicy.DEFAULT);
    }

    /** @param policy how requests fail over between the endpoints of the plan */
    public Puller(Exchange exchange, Destination destination, PlatformMatcher platform, PullListener listener,
                  int concurrency, boolean verifyCached, FailoverPolicy policy) {
        this(exchange, destination, platform, listener, concurrency, verifyCached, policy, EndpointMemory.NONE);
    }

    /**
     * @param memory what earlier pulls saw of the endpoints (recalled before the first request), and where this
     *               pull's observations go when it ends, successful or not
     */
    public Puller(Exchange exchange, Destination destination, PlatformMatcher platform, PullListener listener,
                  int concurrency, boolean verifyCached, FailoverPolicy policy, EndpointMemory memory) {
        this(exchange, destination, PlatformSelection.single(platform), listener, concurrency, verifyCached, policy,
                memory);
    }

    /**
     * @param selection which images of an index: with {@link PlatformSelection#several()}, every one it selects is
     *                  pulled and the destination records the index ({@link IndexPull})
     */
    public Puller(Exchange exchange, Destination destination, PlatformSelection selection, PullListener listener,
                  int concurrency, boolean verifyCached, FailoverPolicy policy, EndpointMemory memory) {
        this.selection = selection;
        this.platform = selection.preferred();
        this.memory = memory;
        this.policy = policy;
        this.verifyCached = verifyCached;
        this.exchange = exchange;
        this.destination = destination;
        this.listener = listener;
        this.concurrency = concurrency;
    }

    /** Pulls the image of {@code plan}; throws {@link PullFailedException} when an object fails everywhere. */
    public PullResult pull(EndpointPlan plan) {
        destination.beginPull(plan.reference().toString());
        try {
            return pullInto(plan);
        } finally {
            destination.endPull(plan.reference().toString());
        }
    }

    private PullResult pullInto(EndpointPlan plan) {
        long start = System.nanoTime();
        RegistryExecutor executor = new RegistryExecutor(plan.endpoints(), listener, policy, memory.recall());
        try {
            return pullWith(executor, plan, start);
        } finally {
            memory.remember(executor.observations());
        }
    }

    private PullResult pullWith(RegistryExecutor executor, EndpointPlan plan, long start) {
        var ref = plan.reference();
        AtomicLong received = new AtomicLong();

        String topRef = ref.manifestReference();
        Served<FetchedManifest> top = executor.execute(Target.manifest(topRef),
                new GetManifest(exchange, topRef, ref.digest(), received));
        listener.manifestResolved(topRef, top.value().digest(), top.value().mediaType(), top.endpoint().baseUrl());

        BlobDownloader downloader = new BlobDownloader(exchange, destination, executor, listener, received,
                concurrency, verifyCached);
        if (selection.several() && top.value().document().isIndex()) {
            IndexPull.Done done = new IndexPull(exchange, executor, selection, listener, received, downloader,
                    destination).pull(ref.toString(), Target.manifest(topRef), top);
            return new PullResult(ref.toString(), top.value().digest(), done.preferred().manifestDigest(),
                    done.preferred().imageId(), done.preferred().platform(), top.endpoint().baseUrl(), done.blobs(),
                    executor.attempts(), received.get(), (System.nanoTime() - start) / 1_000_000, done.platforms(),
                    done.indexDigest());
        }
        Served<FetchedManifest> image = top;
        Platform chosen = null; // the index entry's platform, when the image was chosen from an index
        List<PulledIndex> indexes = List.of();
        if (top.value().document().isIndex()) {
            IndexWalker.Resolved resolved = new IndexWalker(exchange, executor, platform, listener, received)
                    .resolve(Target.manifest(topRef), top);
            image = resolved.image();
            chosen = resolved.platform();
            indexes = resolved.indexes().stream().map(Puller::pulledIndex).toList();
        }

        ImageManifest manifest = image.value().document().manifest();
        List<Descriptor> blobs = new ArrayList<>();
        blobs.add(manifest.config());
        blobs.addAll(manifest.layers());

        List<BlobResult> results = downloader.downloadAll(blobs);

        BlobDescriptor manifestBlob = new BlobDescriptor(image.value().mediaType(), image.value().digest(),
                image.value().bytes().length);
        downloader.store(manifestBlob, image.value().bytes());
        destination.recordImage(new PulledImage(ref.toString(), manifestBlob, platformOf(chosen),
                blob(manifest.config()), manifest.layers().stream().map(Puller::blob).toList(), indexes));
        String platformText = chosen != null ? chosen.toString() : configPlatform(destination,
                manifest.config().digest());
        return new PullResult(ref.toString(), top.value().digest(), image.value().digest(),
                manifest.config().digest(), platformText, top.endpoint().baseUrl(), results, executor.attempts(),
                received.get(), (System.nanoTime() - start) / 1_000_000);
    }

    static PulledIndex pulledIndex(FetchedManifest index) {
        return new PulledIndex(new BlobDescriptor(index.mediaType(), index.digest(), index.bytes().length),
                index.bytes(), index.document().index().manifests().stream().map(Puller::blob).toList());
    }

    static BlobDescriptor blob(Descriptor d) {
        return new BlobDescriptor(d.mediaType(), d.digest(), d.size());
    }

    static ImagePlatform platformOf(Platform p) {
        return p == null ? null : new ImagePlatform(p.os(), p.architecture(), p.variant(), p.osVersion(),
                p.osFeatures());
    }

    /** {@code os/arch[/variant]} of the stored config, or null when it cannot be read. */
    static String configPlatform(Destination destination, String configDigest) {
        try {
            Optional<byte[]> config = destination.read(configDigest);
            if (config.isEmpty()) {
                return null;
            }
            var node = JsonTrees.read(config.get());
            String os = node.path("os").asText("");
            String arch = node.path("architecture").asText("");
            String variant = node.path("variant").asText("");
            return os + "/" + arch + (variant.isEmpty() ? "" : "/" + variant);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
