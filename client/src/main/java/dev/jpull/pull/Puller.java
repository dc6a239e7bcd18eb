package dev.jpull.pull;

import dev.jpull.BlobResult;
import dev.jpull.PullFailedException;
import dev.jpull.PullListener;
import dev.jpull.PullResult;
import dev.jpull.oci.Descriptor;
import dev.jpull.oci.Digests;
import dev.jpull.oci.ImageIndex;
import dev.jpull.oci.ImageManifest;
import dev.jpull.oci.Json;
import dev.jpull.oci.MediaTypes;
import dev.jpull.registry.Exchange;
import dev.jpull.registry.FetchedManifest;
import dev.jpull.registry.GetManifest;
import dev.jpull.registry.RegistryExecutor;
import dev.jpull.registry.RegistryExecutor.Served;
import dev.jpull.resolve.EndpointPlan;
import dev.jpull.store.OciStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pulls one image: resolves the manifest (choosing the platform from an index), downloads config and layers into
 * the store with verification, then records the reference in the store's {@code index.json}.
 */
public final class Puller {

    private final Exchange exchange;
    private final OciStore store;
    private final PlatformMatcher platform;
    private final PullListener listener;
    private final int concurrency;
    private final boolean verifyCached;

    public Puller(Exchange exchange, OciStore store, PlatformMatcher platform, PullListener listener,
                  int concurrency) {
        this(exchange, store, platform, listener, concurrency, false);
    }

    /** @param verifyCached re-hash the blobs of the image already in the store (bad ones are fetched again) */
    public Puller(Exchange exchange, OciStore store, PlatformMatcher platform, PullListener listener,
                  int concurrency, boolean verifyCached) {
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
        RegistryExecutor executor = new RegistryExecutor(plan.endpoints(), listener);
        AtomicLong received = new AtomicLong();

        String topRef = ref.manifestReference();
        Served<FetchedManifest> top = executor.execute("manifest " + topRef,
                new GetManifest(exchange, topRef, ref.digest(), received));
        listener.manifestResolved(topRef, top.value().digest(), top.value().mediaType(), top.endpoint().baseUrl());

        Served<FetchedManifest> image = top;
        Descriptor chosen;
        if (MediaTypes.isIndex(top.value().mediaType())) {
            ImageIndex index = parse(top.value(), ImageIndex.class, top.endpoint().baseUrl());
            chosen = platform.select(index.manifests() == null ? List.of() : index.manifests())
                    .orElseThrow(() -> new PullFailedException("manifest " + topRef, executor.attempts(),
                            "no image for platform " + platform.describe() + " in index " + top.value().digest()
                                    + " (available: " + available(index) + ")"));
            requireDigest(chosen.digest(), top.endpoint().baseUrl());
            image = executor.execute("manifest " + chosen.digest(),
                    new GetManifest(exchange, chosen.digest(), chosen.digest(), received));
            listener.manifestResolved(chosen.digest(), image.value().digest(), image.value().mediaType(),
                    image.endpoint().baseUrl());
            chosen = new Descriptor(image.value().mediaType(), image.value().digest(), image.value().bytes().length,
                    null, null, chosen.platform());
        } else {
            chosen = Descriptor.of(top.value().mediaType(), top.value().digest(), top.value().bytes().length);
        }

        ImageManifest manifest = parse(image.value(), ImageManifest.class, image.endpoint().baseUrl());
        if (manifest.config() == null) {
            throw new PullFailedException("manifest " + image.value().digest(), executor.attempts(),
                    "image manifest from " + image.endpoint().baseUrl() + " has no config");
        }
        List<Descriptor> blobs = new ArrayList<>();
        blobs.add(manifest.config());
        if (manifest.layers() != null) {
            blobs.addAll(manifest.layers());
        }
        for (Descriptor d : blobs) {
            requireDigest(d.digest(), image.endpoint().baseUrl());
        }

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

    private static String available(ImageIndex index) {
        if (index.manifests() == null) {
            return "none";
        }
        return index.manifests().stream()
                .map(d -> d.platform() == null ? "?" : d.platform().toString())
                .reduce((a, b) -> a + ", " + b).orElse("none");
    }

    private static void requireDigest(String digest, String endpoint) {
        if (!Digests.isValid(digest)) {
            throw new PullFailedException("manifest", List.of(),
                    "manifest from " + endpoint + " names an invalid or unsupported digest: " + digest);
        }
    }

    private static <T> T parse(FetchedManifest m, Class<T> type, String endpoint) {
        try {
            return Json.MAPPER.readValue(m.bytes(), type);
        } catch (IOException e) {
            throw new PullFailedException("manifest " + m.digest(), List.of(),
                    "manifest from " + endpoint + " is not a valid " + m.mediaType() + ": "
                            + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
