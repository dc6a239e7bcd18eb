package dev.jpull;

import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.store.ImageGraph;
import dev.jpull.internal.store.OciStore;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which entries of the store a command-line word names, as crictl and docker read it: a reference (as stored, else
 * normalised), else an image ID (config digest) or manifest digest, in full or as a unique prefix of its hex
 * ({@code sha256:61cd...}, {@code 61cd703034b4}). An ID names every entry of that image.
 */
final class ImageSelector {
    private static final Pattern ID = Pattern.compile("(sha256:|sha384:|sha512:)?[0-9a-f]{1,128}");

    private ImageSelector() {
    }

    /** One entry of {@code index.json}: its ref name (null when it has none), manifest digest and image ID. */
    record Entry(String name, Descriptor descriptor, String imageId) {
        boolean hasId(String id) {
            return id.equals(descriptor.digest()) || id.equals(imageId);
        }
    }

    /** Every entry of the store in {@code index.json} order, named or not. */
    static List<Entry> entries(OciStore store) {
        List<Entry> out = new ArrayList<>();
        for (Descriptor d : store.index().manifests()) {
            String name = OciStore.refNameOf(d);
            String id = null;
            try {
                var image = ImageGraph.read(store, name, d);
                id = image.isImage() ? image.config().digest() : null;
            } catch (ImageGraph.BrokenImageException | IllegalArgumentException e) {
                // an entry whose content is unreadable has no image ID; its manifest digest still names it
            }
            out.add(new Entry(name, d, id));
        }
        return out;
    }

    /**
     * The entries {@code word} names (never empty).
     *
     * @throws NoSuchImageException when nothing in the store has that name, ID or digest
     * @throws ReferenceException   when {@code word} is neither a reference nor an ID, or an ID prefix is ambiguous
     */
    static List<Entry> select(List<Entry> entries, String word) {
        List<Entry> named = byName(entries, word);
        if (!named.isEmpty()) {
            return named;
        }
        String normalised = null;
        ReferenceException malformed = null;
        try {
            normalised = ImageReference.parse(word).toString();
            named = byName(entries, normalised);
            if (!named.isEmpty()) {
                return named;
            }
        } catch (ReferenceException e) {
            malformed = e;
        }
        if (ID.matcher(word).matches()) {
            String prefix = word.contains(":") ? word : "sha256:" + word;
            Set<String> ids = new LinkedHashSet<>();
            for (Entry e : entries) {
                for (String id : new String[] {e.descriptor().digest(), e.imageId()}) {
                    if (id != null && id.startsWith(prefix)) {
                        ids.add(id);
                    }
                }
            }
            if (ids.size() > 1) {
                throw new ReferenceException(word, "ambiguous: it is the start of " + ids.size()
                        + " image IDs and digests of the store (" + String.join(", ", ids) + "); give more digits");
            }
            if (ids.size() == 1) {
                String id = ids.iterator().next();
                return entries.stream().filter(e -> e.hasId(id)).toList();
            }
        }
        if (malformed != null) {
            throw malformed;
        }
        throw new NoSuchImageException("no such image: " + normalised);
    }

    private static List<Entry> byName(List<Entry> entries, String name) {
        return entries.stream().filter(e -> name.equals(e.name())).toList();
    }
}
