package dev.jpull.internal.pull;

import dev.jpull.BlobResult;
import dev.jpull.PlatformImage;
import dev.jpull.PullListener;
import dev.jpull.Target;
import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.ImageManifest;
import dev.jpull.internal.oci.MediaTypes;
import dev.jpull.internal.registry.Exchange;
import dev.jpull.internal.registry.FetchedManifest;
import dev.jpull.internal.registry.RegistryExecutor;
import dev.jpull.internal.registry.RegistryExecutor.Served;
import dev.jpull.spi.BlobDescriptor;
import dev.jpull.spi.Destination;
import dev.jpull.spi.PulledImage;
import dev.jpull.spi.PulledIndex;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The part of a pull that takes several images of an index ({@link PlatformSelection#several()}): finds them
 * ({@link IndexWalker#all}, or the best one per platform named), downloads the blobs of all of them, each blob
 * once however many platforms share it, stores every manifest and the indexes, and records them in the
 * destination as one image named by the index ({@link Destination#recordImages}). When the selection is not
 * every image of the index, the index recorded is one of just those images ({@link SubsetIndex}), so that what
 * the store names is complete: {@code skopeo copy --all} and {@code ctr images import --all-platforms} read it.
 */
final class IndexPull {
    /** The images found, the index the destination records, and the result of every platform. */
    record Done(List<PlatformImage> platforms, PlatformImage preferred, List<BlobResult> blobs, String indexDigest) {
    }

    private final Exchange exchange;
    private final RegistryExecutor executor;
    private final PlatformSelection selection;
    private final PullListener listener;
    private final AtomicLong received;
    private final BlobDownloader downloader;
    private final Destination destination;

    IndexPull(Exchange exchange, RegistryExecutor executor, PlatformSelection selection, PullListener listener,
              AtomicLong received, BlobDownloader downloader, Destination destination) {
        this.exchange = exchange;
        this.executor = executor;
        this.selection = selection;
        this.listener = listener;
        this.received = received;
        this.downloader = downloader;
        this.destination = destination;
    }

    Done pull(String reference, Target target, Served<FetchedManifest> top) {
        List<IndexWalker.Resolved> images = find(target, top);
        List<Descriptor> blobs = new ArrayList<>();
        for (IndexWalker.Resolved r : images) {
            ImageManifest m = r.image().value().document().manifest();
            blobs.add(m.config());
            blobs.addAll(m.layers());
        }
        List<BlobResult> results = downloader.downloadAll(blobs);
        Map<String, BlobResult> byDigest = new HashMap<>();
        results.forEach(b -> byDigest.put(b.digest(), b));

        FetchedManifest subset = complete(top.value(), images) ? null : SubsetIndex.of(top.value(), images);
        Map<String, FetchedManifest> indexes = new LinkedHashMap<>();
        if (subset != null) {
            indexes.put(subset.digest(), subset);
        } else {
            images.forEach(r -> r.indexes().forEach(i -> indexes.putIfAbsent(i.digest(), i)));
        }
        List<PulledImage> pulled = new ArrayList<>();
        List<PlatformImage> platforms = new ArrayList<>();
        for (IndexWalker.Resolved r : images) {
            FetchedManifest image = r.image().value();
            ImageManifest m = image.document().manifest();
            BlobDescriptor manifestBlob = new BlobDescriptor(image.mediaType(), image.digest(), image.bytes().length);
            downloader.store(manifestBlob, image.bytes());
            List<FetchedManifest> chain = subset != null ? List.of(subset) : r.indexes();
            pulled.add(new PulledImage(reference, manifestBlob, Puller.platformOf(r.platform()),
                    Puller.blob(m.config()), m.layers().stream().map(Puller::blob).toList(),
                    chain.stream().map(Puller::pulledIndex).toList()));
            List<BlobResult> own = new ArrayList<>();
            new LinkedHashSet<>(digests(m)).forEach(d -> own.add(byDigest.get(d)));
            String platform = r.platform() != null ? r.platform().toString()
                    : Puller.configPlatform(destination, m.config().digest());
            platforms.add(new PlatformImage(platform, image.digest(), m.config().digest(), own));
        }
        for (FetchedManifest index : indexes.values()) {
            downloader.store(new BlobDescriptor(index.mediaType(), index.digest(), index.bytes().length),
                    index.bytes());
        }
        int preferred = preferred(images);
        List<PulledImage> recorded = new ArrayList<>(pulled);
        recorded.add(0, recorded.remove(preferred)); // the preferred platform first
        destination.recordImages(recorded);
        String recordedIndex = subset != null ? subset.digest() : top.value().digest();
        return new Done(platforms, platforms.get(preferred), results, recordedIndex);
    }

    /** Every image, or the best for each platform named (each image once, in the order named). */
    private List<IndexWalker.Resolved> find(Target target, Served<FetchedManifest> top) {
        Map<String, Served<FetchedManifest>> fetched = new HashMap<>();
        if (selection.all()) {
            return new IndexWalker(exchange, executor, selection.preferred(), listener, received, fetched)
                    .all(target, top);
        }
        Map<String, IndexWalker.Resolved> found = new LinkedHashMap<>();
        for (PlatformMatcher platform : selection.named()) {
            IndexWalker.Resolved r = new IndexWalker(exchange, executor, platform, listener, received, fetched)
                    .resolve(target, top);
            found.putIfAbsent(r.image().value().digest(), r);
        }
        return List.copyOf(found.values());
    }

    /** The images are every entry of {@code top}, which lists image manifests only: then {@code top} is recorded. */
    private boolean complete(FetchedManifest top, List<IndexWalker.Resolved> images) {
        if (selection.all()) {
            return true;
        }
        Set<String> entries = new LinkedHashSet<>();
        for (Descriptor d : top.document().index().manifests()) {
            if (MediaTypes.isIndex(d.mediaType())) {
                return false;
            }
            entries.add(d.digest());
        }
        Set<String> taken = new LinkedHashSet<>();
        images.forEach(r -> taken.add(r.image().value().digest()));
        return entries.equals(taken);
    }

    /** The image best for the preferred platform, else the first. */
    private int preferred(List<IndexWalker.Resolved> images) {
        int best = 0;
        for (int i = 1; i < images.size(); i++) {
            if (selection.preference(images.get(i).platform()) < selection.preference(images.get(best).platform())) {
                best = i;
            }
        }
        return best;
    }

    private static List<String> digests(ImageManifest m) {
        List<String> out = new ArrayList<>();
        out.add(m.config().digest());
        m.layers().forEach(l -> out.add(l.digest()));
        return out;
    }
}
