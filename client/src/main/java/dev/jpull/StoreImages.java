package dev.jpull;

import dev.jpull.internal.archive.ArchiveLoader;
import dev.jpull.internal.archive.ArchiveWriter;
import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.store.BlobVerifier;
import dev.jpull.internal.store.ImageGraph;
import dev.jpull.internal.store.OciStore;
import dev.jpull.internal.store.Removal;
import dev.jpull.internal.store.StoredImage;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/** {@link Jpull#images}, {@link Jpull#save}, {@link Jpull#rmi}, {@link Jpull#verify}: what the store holds. */
final class StoreImages {
    private StoreImages() {
    }

    /**
     * The store's entries in {@code index.json} order (an entry without a ref name has a null reference), or only
     * those of {@code repository} when it is not null: every tag and digest of it, or the one reference when it
     * names a tag or digest ({@code crictl images REPOSITORY[:TAG]}).
     */
    static List<ImageSummary> list(OciStore store, String repository) {
        Predicate<String> wanted = repository == null ? name -> true : ImageReference.filter(repository);
        List<ImageSummary> out = new ArrayList<>();
        if (store == null) {
            return out; // no store directory: no images
        }
        for (Descriptor d : store.index().manifests()) {
            String name = OciStore.refNameOf(d);
            if (!wanted.test(name)) {
                continue;
            }
            try {
                StoredImage image = ImageGraph.read(store, name, d);
                String platform = image.platform();
                if (!image.isImage() && platform == null && !image.platforms().isEmpty()) {
                    platform = String.join(",", image.platforms()); // an index (pull --all-platforms)
                }
                out.add(new ImageSummary(name, d.digest(),
                        image.isImage() ? image.config().digest() : null, image.size(), platform));
            } catch (ImageGraph.BrokenImageException | IllegalArgumentException ex) {
                out.add(new ImageSummary(name, d.digest(), null, 0, null));
            }
        }
        return out;
    }

    /** {@code store} null: there is no store directory (nothing to save, so the first image is not in it). */
    static List<ImageSummary> save(OciStore store, List<String> images, Path out) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("nothing to save: name at least one IMAGE");
        }
        Path parent = out.toAbsolutePath().normalize().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new DestinationException("cannot write " + out + ": " + parent + " is not a directory");
        }
        if (Files.isDirectory(out)) {
            throw new DestinationException("cannot write " + out + ": it is a directory");
        }
        if (isStoreFile(store, out)) {
            throw new DestinationException("cannot write " + out + ": it is one of the store's own files (write the "
                    + "archive outside " + store.root().resolve("blobs") + ", ingest/ and the store's index)");
        }
        Selection s = selectForSave(store, images);
        ArchiveWriter.write(store, s.stored(), out);
        return s.saved();
    }

    /** As {@link #save(OciStore, List, Path)}, streaming the archive to {@code out} (named {@code name}). */
    static List<ImageSummary> save(OciStore store, List<String> images, OutputStream out, String name) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("nothing to save: name at least one IMAGE");
        }
        Selection s = selectForSave(store, images);
        ArchiveWriter.write(store, s.stored(), out, name);
        return s.saved();
    }

    private record Selection(List<StoredImage> stored, List<ImageSummary> saved) {
    }

    /** The images to save, each complete in the store (checked before anything is written). */
    private static Selection selectForSave(OciStore store, List<String> images) {
        Map<String, Descriptor> refs = store == null ? Map.of() : store.references();
        List<StoredImage> stored = new ArrayList<>();
        List<ImageSummary> saved = new ArrayList<>();
        for (String image : images) {
            String name = refName(image, refs);
            Descriptor d = refs.get(name);
            if (d == null) {
                throw new NoSuchImageException("not in the store: " + name + " (pull it first)");
            }
            StoredImage s = read(store, name, d);
            for (String blob : s.blobs()) {
                if (!store.check(blob, -1, false).ok()) {
                    throw new NoSuchImageException("the store lacks blob " + blob + " of " + name
                            + " (pull it again)");
                }
            }
            stored.add(s);
            saved.add(new ImageSummary(name, d.digest(), s.isImage() ? s.config().digest() : null, s.size(),
                    s.platform()));
        }
        return new Selection(stored, saved);
    }

    /** Imports the archive {@code file} ({@link ArchiveLoader}); one summary per image tagged or added unnamed. */
    static LoadResult load(OciStore store, Path file) {
        ArchiveLoader.Result r = ArchiveLoader.load(store, file);
        List<ImageSummary> out = new ArrayList<>();
        for (ArchiveLoader.Loaded l : r.images()) {
            StoredImage s = ImageGraph.read(store, l.reference(), l.entry());
            out.add(new ImageSummary(l.reference(), l.entry().digest(), s.isImage() ? s.config().digest() : null,
                    s.size(), s.platform()));
        }
        return new LoadResult(r.format(), out);
    }

    static VerifyReport verify(OciStore store, List<String> images) {
        Map<String, Descriptor> refs = store == null ? Map.of() : store.references();
        Map<String, Descriptor> named = new java.util.LinkedHashMap<>();
        for (String image : images) {
            String name = refName(image, refs);
            Descriptor d = refs.get(name);
            if (d == null) {
                throw new NoSuchImageException("not in the store: " + name);
            }
            named.put(name, d);
        }
        return store == null ? new VerifyReport(List.of(), 0, 0, List.of()) : BlobVerifier.verify(store, named);
    }

    /**
     * Removes what {@code word} names ({@link ImageSelector}: a reference, or every reference of an image ID or
     * manifest digest, or a unique prefix of one), each entry with the blobs no remaining entry uses.
     */
    static List<RemovedImage> rmi(OciStore store, String word) {
        List<RemovedImage> out = new ArrayList<>();
        List<ImageSelector.Entry> entries = store == null ? List.of() : ImageSelector.entries(store);
        for (ImageSelector.Entry e : ImageSelector.select(entries, word)) {
            remove(store, e.name(), e.descriptor().digest()).ifPresent(out::add);
        }
        if (out.isEmpty()) { // removed by someone else meanwhile
            throw new NoSuchImageException("no such image: " + word);
        }
        return out;
    }

    /** Removes every entry that has no ref name ({@code rmi --prune}), with the blobs no named entry uses. */
    static List<RemovedImage> pruneUnnamed(OciStore store) {
        if (store == null) {
            return List.of();
        }
        Set<String> digests = new LinkedHashSet<>();
        for (Descriptor d : store.index().manifests()) {
            if (OciStore.refNameOf(d) == null) {
                digests.add(d.digest());
            }
        }
        List<RemovedImage> out = new ArrayList<>();
        for (String digest : digests) {
            remove(store, null, digest).ifPresent(out::add);
        }
        return out;
    }

    private static Optional<RemovedImage> remove(OciStore store, String name, String manifestDigest) {
        Optional<Removal> r = name != null ? store.remove(name) : store.removeUnnamed(manifestDigest);
        return r.map(x -> new RemovedImage(x.reference(), x.entry().digest(), x.deletedBlobs()));
    }

    /** True when {@code out} names {@code index.json}, {@code oci-layout}, the lock file, or is under blobs/ or ingest/. */
    private static boolean isStoreFile(OciStore store, Path out) {
        if (store == null) {
            return false;
        }
        Path target = out.toAbsolutePath().normalize();
        Path root = store.root();
        try {
            Path parent = target.getParent().toRealPath();
            target = parent.resolve(target.getFileName());
            root = root.toRealPath();
        } catch (java.io.IOException e) {
            // compare the paths as given
        }
        if (!target.startsWith(root) || target.equals(root)) {
            return false;
        }
        String first = root.relativize(target).getName(0).toString();
        return Set.of("index.json", "oci-layout", ".jpull.lock", "blobs", "ingest").contains(first);
    }

    /** {@code image} itself when the store has an entry of that name, else its normalised reference. */
    private static String refName(String image, Map<String, Descriptor> refs) {
        return refs.containsKey(image) ? image : ImageReference.parse(image).toString();
    }

    private static StoredImage read(OciStore store, String name, Descriptor d) {
        try {
            return ImageGraph.read(store, name, d);
        } catch (ImageGraph.BrokenImageException e) {
            throw new NoSuchImageException("cannot save " + name + ": " + e.getMessage() + " (pull it again)");
        }
    }
}
