package dev.jpull.internal.pull;

import dev.jpull.BlobResult;
import dev.jpull.FailoverPolicy;
import dev.jpull.PullFailedException;
import dev.jpull.PullListener;
import dev.jpull.PullResult;
import dev.jpull.Target;
import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.ImageManifest;
import dev.jpull.internal.oci.Json;
import dev.jpull.internal.registry.Exchange;
import dev.jpull.internal.registry.FetchedManifest;
import dev.jpull.internal.registry.GetManifest;
import dev.jpull.internal.registry.RegistryExecutor;
import dev.jpull.internal.registry.RegistryExecutor.Served;
import dev.jpull.EndpointPlan;
import dev.jpull.internal.store.OciStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pulls one image: resolves the manifest (choosing the platform from an index, following nested indexes with
 * {@link IndexWalker}), downloads config and layers into the store with verification, then records the reference in
 * the store's {@code index.json}. Every manifest was validated when it was received ({@code GetManifest}), so an
 * invalid one already failed over to the next endpoint.
 */
public final class Puller {

    private final Exchange exchange;
    private final OciStore store;
    private final PlatformMatcher platform;
    private final PullListener listener;
    private final int concurrency;
    private final boolean verifyCached;
    private final FailoverPolicy policy;

    public Puller(Exchange exchange, OciStore store, PlatformMatcher platform, PullListener listener,
                  int concurrency) {
        this(exchange, store, platform, listener, concurrency, false);
    }

    /** @param verifyCached re-hash the blobs of the image already in the store (bad ones are fetched again) */
    public Puller(Exchange exchange, OciStore store, PlatformMatcher platform, PullListener listener,
                  int concurrency, boolean verifyCached) {
        this(exchange, store, platform, listener, concurrency, verifyCached, FailoverPolicy.DEFAULT);
    }

    /** @param policy how requests fail over between the endpoints of the plan */
    public Puller(Exchange exchange, OciStore store, PlatformMatcher platform, PullListener listener,
                  int concurrency, boolean verifyCached, FailoverPolicy policy) {
        this.policy = policy;
        this.verifyCached = verifyCached;
        this.exchange = exchange;
        this.store = store;
        this.platform = platform;
        this.listener = listener;
        this.concurrency = concurrency;
    }

    /** Pulls the image of {@code plan}; throws {@link PullFailedException} when an object fails everywhere. */
    public PullResult pull(EndpointPlan plan) {
        long start = System.nanoTime();
        var ref = plan.reference();
        RegistryExecutor executor = new RegistryExecutor(plan.endpoints(), listener, policy);
        AtomicLong received = new AtomicLong();

        String topRef = ref.manifestReference();
        Served<FetchedManifest> top = executor.execute(Target.manifest(topRef),
                new GetManifest(exchange, topRef, ref.digest(), received));
        listener.manifestResolved(topRef, top.value().digest(), top.value().mediaType(), top.endpoint().baseUrl());

        Served<FetchedManifest> image = top;
        Descriptor chosen;
        if (top.value().document().isIndex()) {
            IndexWalker.Resolved resolved = new IndexWalker(exchange, executor, platform, listener, received)
                    .resolve(Target.manifest(topRef), top);
            image = resolved.image();
            chosen = new Descriptor(image.value().mediaType(), image.value().digest(), image.value().bytes().length,
                    null, null, resolved.platform());
        } else {
            chosen = Descriptor.of(top.value().mediaType(), top.value().digest(), top.value().bytes().length);
        }

        ImageManifest manifest = image.value().document().manifest();
        List<Descriptor> blobs = new ArrayList<>();
        blobs.add(manifest.config());
        blobs.addAll(manifest.layers());

        List<BlobResult> results = new BlobDownloader(exchange, store, executor, listener, received, concurrency,
                verifyCached).downloadAll(blobs);

        String replaced = store.writeBlob(image.value().digest(), image.value().bytes(), verifyCached);
        if (replaced != null) {
            listener.warning("manifest " + image.value().digest() + " in the store " + replaced
                    + ": replaced by the one just fetched");
        }
        store.tag(ref.toString(), chosen);
        String platformText = chosen.platform() != null ? chosen.platform().toString() : configPlatform(
                manifest.config().digest());
        return new PullResult(ref.toString(), top.value().digest(), image.value().digest(),
                manifest.config().digest(), platformText, top.endpoint().baseUrl(), results, executor.attempts(),
                received.get(), (System.nanoTime() - start) / 1_000_000);
    }

    private String configPlatform(String configDigest) {
        try {
            var node = Json.MAPPER.readTree(store.readBlob(configDigest));
            String os = node.path("os").asText("");
            String arch = node.path("architecture").asText("");
            String variant = node.path("variant").asText("");
            return os + "/" + arch + (variant.isEmpty() ? "" : "/" + variant);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
