package dev.jpull.internal.pull;

import dev.jpull.PullFailedException;
import dev.jpull.PullListener;
import dev.jpull.Target;
import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.MediaTypes;
import dev.jpull.internal.oci.Platform;
import dev.jpull.internal.registry.Exchange;
import dev.jpull.internal.registry.FetchedManifest;
import dev.jpull.internal.registry.GetManifest;
import dev.jpull.internal.registry.RegistryExecutor;
import dev.jpull.internal.registry.RegistryExecutor.Served;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Finds the image manifest for the wanted platform below an index. An index may list other indexes (the image
 * spec allows it): they are followed depth first, best platform match first, as containerd walks them, down to
 * {@value #MAX_DEPTH} levels of index and at most {@value #MAX_INDEXES} indexes in all; an index that lists one
 * of its ancestors is a loop and refused, one reached twice is searched once. Each child is fetched by digest
 * with failover like any manifest.
 */
final class IndexWalker {
    /** Levels of index above the image manifest (the top index is level 1), as in the store's image graph. */
    static final int MAX_DEPTH = 4;
    /** Indexes fetched for one pull at most, so a hostile index cannot make jpull fetch without end. */
    static final int MAX_INDEXES = 16;
    /** Image manifests one pull of every platform takes at most (real indexes list a few dozen). */
    static final int MAX_IMAGES = 128;

    private final Exchange exchange;
    private final RegistryExecutor executor;
    private final PlatformMatcher platform;
    private final PullListener listener;
    private final AtomicLong received;
    private final Set<String> searched = new HashSet<>();
    private final Set<String> available = new LinkedHashSet<>();
    private final Deque<String> ancestors = new ArrayDeque<>();
    private final Map<String, Served<FetchedManifest>> fetched;

    /**
     * The image manifest chosen, the platform of the nearest index entry that named one (or null), and the indexes
     * walked through to it, the top one first.
     */
    record Resolved(Served<FetchedManifest> image, Platform platform, List<FetchedManifest> indexes) {
    }

    IndexWalker(Exchange exchange, RegistryExecutor executor, PlatformMatcher platform, PullListener listener,
                AtomicLong received) {
        this(exchange, executor, platform, listener, received, new HashMap<>());
    }

    /**
     * @param fetched the manifests fetched so far by digest, shared by the walkers of one pull (one per platform
     *                asked for), so that each is fetched once; used by one thread
     */
    IndexWalker(Exchange exchange, RegistryExecutor executor, PlatformMatcher platform, PullListener listener,
                AtomicLong received, Map<String, Served<FetchedManifest>> fetched) {
        this.fetched = fetched;
        this.exchange = exchange;
        this.executor = executor;
        this.platform = platform;
        this.listener = listener;
        this.received = received;
    }

    /** The image manifest for the platform below {@code top} (an index); {@link PullFailedException} when none. */
    Resolved resolve(Target target, Served<FetchedManifest> top) {
        return walk(target, top, null).orElseThrow(() -> new PullFailedException(target, executor.attempts(),
                "no image for platform " + platform.describe() + " in index " + top.value().digest()
                        + " (available: " + (available.isEmpty() ? "none" : String.join(", ", available)) + ")"));
    }

    private Optional<Resolved> walk(Target target, Served<FetchedManifest> index, Platform inherited) {
        String digest = index.value().digest();
        if (ancestors.size() >= MAX_DEPTH) {
            throw new PullFailedException(target, executor.attempts(), "index " + ancestors.getLast()
                    + " nests indexes deeper than " + MAX_DEPTH + " levels; refusing it");
        }
        if (!searched.add(digest)) {
            return Optional.empty();
        }
        if (searched.size() > MAX_INDEXES) {
            throw new PullFailedException(target, executor.attempts(), "index " + ancestors.getLast()
                    + " leads to more than " + MAX_INDEXES + " indexes; refusing it");
        }
        ancestors.push(digest);
        try {
            for (Descriptor entry : index.value().document().index().manifests()) {
                if (!MediaTypes.isIndex(entry.mediaType())) {
                    available.add(entry.platform() == null ? "?" : entry.platform().toString());
                }
            }
            for (Descriptor child : platform.ranked(index.value().document().index().manifests())) {
                if (ancestors.contains(child.digest())) {
                    throw new PullFailedException(target, executor.attempts(), "index " + digest + " lists "
                            + child.digest() + ", which contains it (a loop); refusing it");
                }
                if (searched.contains(child.digest())) {
                    continue; // reached before, through another entry: nothing for the platform there
                }
                Platform p = child.platform() != null ? child.platform() : inherited;
                Served<FetchedManifest> fetched = fetch(child);
                if (!fetched.value().document().isIndex()) {
                    return Optional.of(new Resolved(fetched, p, List.of(index.value())));
                }
                Optional<Resolved> inner = walk(target, fetched, p);
                if (inner.isPresent()) {
                    List<FetchedManifest> chain = new ArrayList<>();
                    chain.add(index.value());
                    chain.addAll(inner.get().indexes());
                    return Optional.of(new Resolved(inner.get().image(), inner.get().platform(), chain));
                }
            }
            return Optional.empty();
        } finally {
            ancestors.pop();
        }
    }

    /**
     * Every image manifest below {@code top} (an index), depth first in index order, each once, with the platform
     * of the nearest entry that named one and the indexes above it (top first); nested indexes are followed within
     * the same limits as {@link #resolve}, and at most {@value #MAX_IMAGES} images are taken.
     */
    List<Resolved> all(Target target, Served<FetchedManifest> top) {
        List<Resolved> out = new ArrayList<>();
        collect(target, top, null, List.of(), out);
        if (out.isEmpty()) {
            throw new PullFailedException(target, executor.attempts(), "index " + top.value().digest()
                    + " lists no image manifest");
        }
        return out;
    }

    private void collect(Target target, Served<FetchedManifest> index, Platform inherited, List<FetchedManifest> above,
                         List<Resolved> out) {
        String digest = index.value().digest();
        if (ancestors.size() >= MAX_DEPTH) {
            throw new PullFailedException(target, executor.attempts(), "index " + ancestors.getLast()
                    + " nests indexes deeper than " + MAX_DEPTH + " levels; refusing it");
        }
        if (!searched.add(digest)) {
            return;
        }
        if (searched.size() > MAX_INDEXES) {
            throw new PullFailedException(target, executor.attempts(), "index " + ancestors.getLast()
                    + " leads to more than " + MAX_INDEXES + " indexes; refusing it");
        }
        List<FetchedManifest> chain = new ArrayList<>(above);
        chain.add(index.value());
        ancestors.push(digest);
        try {
            for (Descriptor child : index.value().document().index().manifests()) {
                if (ancestors.contains(child.digest())) {
                    throw new PullFailedException(target, executor.attempts(), "index " + digest + " lists "
                            + child.digest() + ", which contains it (a loop); refusing it");
                }
                if (searched.contains(child.digest())
                        || out.stream().anyMatch(r -> r.image().value().digest().equals(child.digest()))) {
                    continue; // listed twice: taken once
                }
                Platform p = child.platform() != null ? child.platform() : inherited;
                Served<FetchedManifest> manifest = fetch(child);
                if (manifest.value().document().isIndex()) {
                    collect(target, manifest, p, chain, out);
                } else {
                    if (out.size() >= MAX_IMAGES) {
                        throw new PullFailedException(target, executor.attempts(), "index " + digest
                                + " leads to more than " + MAX_IMAGES + " images; refusing it");
                    }
                    out.add(new Resolved(manifest, p, List.copyOf(chain)));
                }
            }
        } finally {
            ancestors.pop();
        }
    }

    private Served<FetchedManifest> fetch(Descriptor child) {
        Served<FetchedManifest> known = fetched.get(child.digest());
        if (known != null) {
            return known;
        }
        Served<FetchedManifest> fetched = executor.execute(Target.manifest(child.digest()),
                new GetManifest(exchange, child.digest(), child.digest(), received));
        listener.manifestResolved(child.digest(), fetched.value().digest(), fetched.value().mediaType(),
                fetched.endpoint().baseUrl());
        this.fetched.put(child.digest(), fetched);
        return fetched;
    }
}
