package dev.jpull.internal.pull;

import dev.jpull.Attempt;
import dev.jpull.EndpointPlan;
import dev.jpull.FailoverPolicy;
import dev.jpull.PullListener;
import dev.jpull.Target;
import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.registry.EndpointMemory;
import dev.jpull.internal.registry.Exchange;
import dev.jpull.internal.registry.FetchedManifest;
import dev.jpull.internal.registry.GetManifest;
import dev.jpull.internal.registry.GetSmallBlob;
import dev.jpull.internal.registry.GetTags;
import dev.jpull.internal.registry.HeadBlob;
import dev.jpull.internal.registry.HeadManifest;
import dev.jpull.internal.registry.ManifestHead;
import dev.jpull.internal.registry.RegistryExecutor;
import dev.jpull.internal.registry.RegistryExecutor.Served;
import dev.jpull.spi.BlobDescriptor;
import dev.jpull.spi.Destination;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One registry object at a time, with the whole failover of a pull: a manifest, a blob's size, or a blob into a
 * {@link Destination} (verified, resumable, with {@code Range} across endpoints, exactly as {@link Puller} downloads
 * it). Each call is one request with its own {@link RegistryExecutor} over the plan; what earlier calls saw of the
 * endpoints comes from, and goes back to, the {@link EndpointMemory}, so a dead or silent endpoint is paid once,
 * not once per object. The serving mirror ({@code jpull serve}) fetches through this; a pull uses {@link Puller}.
 */
public final class ObjectFetcher {
    private final Exchange exchange;
    private final PullListener listener;
    private final FailoverPolicy policy;
    private final EndpointMemory memory;

    public ObjectFetcher(Exchange exchange, PullListener listener, FailoverPolicy policy, EndpointMemory memory) {
        this.exchange = exchange;
        this.listener = listener;
        this.policy = policy;
        this.memory = memory;
    }

    /**
     * A value and what it took.
     *
     * @param endpoint the base URL of the endpoint that served it; null for a blob that was there already
     * @param attempts the requests that failed, and the success after them (a success at first try is not listed)
     */
    public record Fetched<T>(T value, String endpoint, List<Attempt> attempts) {
    }

    /** The manifest {@code reference} (tag or digest) of the plan's repository, verified and validated. */
    public Fetched<FetchedManifest> manifest(EndpointPlan plan, String reference, String digest) {
        return run(plan, executor -> served(executor.execute(Target.manifest(reference),
                new GetManifest(exchange, reference, digest, new AtomicLong()))));
    }

    /**
     * The digest {@code reference} (tag or digest) resolves to: a {@code HEAD} of the manifest, a {@code GET} where
     * the HEAD gives no usable {@code Docker-Content-Digest} ({@link HeadManifest}).
     */
    public Fetched<ManifestHead> digest(EndpointPlan plan, String reference, String digest) {
        return run(plan, executor -> served(executor.execute(Target.manifest(reference),
                new HeadManifest(exchange, reference, digest))));
    }

    /**
     * The manifest {@code reference} names and, when it is an index and {@code platform} is not null, the image
     * manifest chosen below it for {@code platform} (as a pull chooses); with {@code config}, the image's config
     * bytes too. One failover over the plan for all of them; the endpoint is the one that served the top manifest.
     */
    public Fetched<Inspected> inspect(EndpointPlan plan, String reference, String digest, PlatformMatcher platform,
                                      boolean config) {
        return run(plan, executor -> {
            AtomicLong received = new AtomicLong();
            Served<FetchedManifest> top = executor.execute(Target.manifest(reference),
                    new GetManifest(exchange, reference, digest, received));
            FetchedManifest image = top.value();
            dev.jpull.internal.oci.Platform chosen = null;
            if (image.document().isIndex()) {
                if (platform == null) {
                    return new Fetched<>(new Inspected(top.value(), null, null, null), top.endpoint().baseUrl(),
                            List.of());
                }
                IndexWalker.Resolved resolved = new IndexWalker(exchange, executor, platform, listener, received)
                        .resolve(Target.manifest(reference), top);
                image = resolved.image().value();
                chosen = resolved.platform();
            }
            byte[] bytes = null;
            if (config) {
                Descriptor c = image.document().manifest().config();
                bytes = executor.execute(Target.blob(c.digest()), new GetSmallBlob(exchange, c.digest(), c.size()))
                        .value();
            }
            return new Fetched<>(new Inspected(top.value(), image, chosen, bytes), top.endpoint().baseUrl(),
                    List.of());
        });
    }

    /** Every tag of the plan's repository (all pages). */
    public Fetched<List<String>> tags(EndpointPlan plan, int pageSize) {
        return run(plan, executor -> served(executor.execute(Target.tags(plan.reference().repository()),
                new GetTags(exchange, pageSize))));
    }

    /** The size the plan's endpoints give for blob {@code digest} ({@code HEAD}). */
    public Fetched<Long> blobSize(EndpointPlan plan, String digest) {
        return run(plan, executor -> served(executor.execute(Target.blob(digest), new HeadBlob(exchange, digest))));
    }

    /**
     * Downloads {@code blob} into {@code destination} unless it is there, through its exclusive writer; the
     * endpoint is null when it was there (or another writer committed it meanwhile).
     */
    public Fetched<Boolean> blob(EndpointPlan plan, BlobDescriptor blob, Destination destination) {
        return run(plan, executor -> {
            BlobDownloader downloader = new BlobDownloader(exchange, destination, executor, listener,
                    new AtomicLong(), 1, false);
            var result = downloader.downloadAll(List.of(Descriptor.of(blob.mediaType(), blob.digest(),
                    blob.size()))).get(0);
            return new Fetched<>(!result.cached(), result.endpoint(), List.of());
        });
    }

    private static <T> Fetched<T> served(Served<T> served) {
        return new Fetched<>(served.value(), served.endpoint().baseUrl(), List.of());
    }

    private <T> Fetched<T> run(EndpointPlan plan, Function<RegistryExecutor, Fetched<T>> call) {
        RegistryExecutor executor = new RegistryExecutor(plan.endpoints(), listener, policy, memory.recall());
        try {
            Fetched<T> done = call.apply(executor);
            return new Fetched<>(done.value(), done.endpoint(), executor.attempts());
        } finally {
            memory.remember(executor.observations());
        }
    }
}
