package dev.jpull;

import dev.jpull.internal.archive.ArchiveWriter;
import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.store.BlobVerifier;
import dev.jpull.internal.store.ImageGraph;
import dev.jpull.internal.store.OciStore;
import dev.jpull.internal.store.Removal;
import dev.jpull.internal.store.StoredImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@link Jpull#images}, {@link Jpull#save}, {@link Jpull#rmi}, {@link Jpull#verify}: what the store holds. */
final class StoreImages {
    private StoreImages() {
    }

    static List<ImageSummary> list(OciStore store) {
        List<ImageSummary> out = new ArrayList<>();
        for (Map.Entry<String, Descriptor> e : store.references().entrySet()) {
            Descriptor d = e.getValue();
            try {
                StoredImage image = ImageGraph.read(store, e.getKey(), d);
                out.add(new ImageSummary(e.getKey(), d.digest(),
                        image.isImage() ? image.config().digest() : null, image.size(), image.platform()));
            } catch (ImageGraph.BrokenImageException | IllegalArgumentException ex) {
                out.add(new ImageSummary(e.getKey(), d.digest(), null, 0, null));
            }
        }
        return out;
    }

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
        Map<String, Descriptor> refs = store.references();
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
        ArchiveWriter.write(store, stored, out);
        return saved;
    }

    static VerifyReport verify(OciStore store, List<String> images) {
        Map<String, Descriptor> refs = store.references();
        Map<String, Descriptor> named = new java.util.LinkedHashMap<>();
        for (String image : images) {
            String name = refName(image, refs);
            Descriptor d = refs.get(name);
            if (d == null) {
                throw new NoSuchImageException("not in the store: " + name);
            }
            named.put(name, d);
        }
        return BlobVerifier.verify(store, named);
    }

    static RemovedImage rmi(OciStore store, String image) {
        String name = refName(image, store.references());
        Removal r = store.remove(name)
                .orElseThrow(() -> new NoSuchImageException("no such image: " + name));
        return new RemovedImage(r.reference(), r.entry().digest(), r.deletedBlobs());
    }

    /** True when {@code out} names {@code index.json}, {@code oci-layout}, the lock file, or is under blobs/ or ingest/. */
    private static boolean isStoreFile(OciStore store, Path out) {
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
