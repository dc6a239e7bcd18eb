package dev.jpull.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.JsonTrees;
import dev.jpull.internal.oci.MediaTypes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What each tag resolved to when it was last resolved upstream, for {@code jpull serve} to answer with when every
 * upstream endpoint is unavailable (as distribution's pull-through cache does): {@code STORE/state/served-tags.json},
 * {@code {"version":1,"tags":{"REGISTRY/NAME:TAG":{"digest":...,"mediaType":...}}}}, at most {@link #MAX_TAGS}
 * (least recently resolved dropped first), rewritten atomically when a tag's digest changes. The file is the store's
 * and treated as hostile: read once, bounded, never through a link; an entry that is not a valid digest and
 * manifest type is dropped, an unreadable file is ignored with one warning (and replaced on the next change).
 * Thread-safe.
 */
public final class TagFile {
    /** Most tags kept. */
    public static final int MAX_TAGS = 10_000;
    /** Longest reference kept (a repository name is at most 255 characters). */
    static final int MAX_REFERENCE = 600;
    private static final int VERSION = 1;

    /** A tag's manifest. */
    public record Entry(String digest, String mediaType) {
    }

    private final Path file;
    private final Consumer<String> warnings;
    private final Map<String, Entry> tags = new LinkedHashMap<>(16, 0.75f, true);
    private boolean warnedWrite;

    private TagFile(Path file, Consumer<String> warnings) {
        this.file = file;
        this.warnings = warnings;
    }

    /** The tags of the store at {@code storeDir} ({@code state/served-tags.json}); warnings go to {@code warnings}. */
    public static TagFile open(Path storeDir, Consumer<String> warnings) {
        TagFile t = new TagFile(storeDir.resolve("state").resolve("served-tags.json"), warnings);
        t.read();
        return t;
    }

    private void read() {
        try {
            byte[] bytes = StoreFiles.readBounded(file);
            if (bytes == null) {
                return;
            }
            JsonNode root = JsonTrees.read(bytes);
            if (root == null || root.path("version").asInt() != VERSION || !root.path("tags").isObject()) {
                throw new IOException("not a version " + VERSION + " tag file");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = root.get("tags").fields(); it.hasNext()
                    && tags.size() < MAX_TAGS; ) {
                Map.Entry<String, JsonNode> e = it.next();
                Entry entry = new Entry(e.getValue().path("digest").asText(""), e.getValue().path("mediaType")
                        .asText(""));
                if (valid(e.getKey(), entry)) {
                    tags.put(e.getKey(), entry);
                }
            }
        } catch (IOException | RuntimeException e) {
            tags.clear();
            warnings.accept("tags resolved earlier ignored: " + file + ": " + StoreFiles.reason(
                    e instanceof IOException io ? io : new IOException(e.getMessage(), e)));
        }
    }

    private static boolean valid(String reference, Entry e) {
        return reference.length() <= MAX_REFERENCE && reference.chars().allMatch(c -> c > 0x20 && c < 0x7f)
                && Digests.isValid(e.digest())
                && (MediaTypes.isIndex(e.mediaType()) || MediaTypes.isImageManifest(e.mediaType()));
    }

    /** What {@code reference} last resolved to; null when it never did (or was dropped). */
    public synchronized Entry recall(String reference) {
        return tags.get(reference);
    }

    /** Records that {@code reference} resolved to {@code digest}; the file is rewritten only when that is news. */
    public synchronized void remember(String reference, String digest, String mediaType) {
        Entry entry = new Entry(digest, mediaType);
        if (!valid(reference, entry) || entry.equals(tags.get(reference))) {
            return;
        }
        tags.put(reference, entry);
        while (tags.size() > MAX_TAGS) {
            Iterator<String> eldest = tags.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
        write();
    }

    private void write() {
        ObjectNode root = JsonTrees.object();
        root.put("version", VERSION);
        ObjectNode all = root.putObject("tags");
        tags.forEach((ref, e) -> all.putObject(ref).put("digest", e.digest()).put("mediaType", e.mediaType()));
        try {
            StoreFiles.ensureDirectory(file.getParent(), false);
            StoreFiles.writeAtomically(file, JsonTrees.bytes(root));
        } catch (IOException | RuntimeException e) {
            if (!warnedWrite) { // serving goes on from memory; said once
                warnedWrite = true;
                warnings.accept("cannot save resolved tags to " + file + ": " + StoreFiles.reason(
                        e instanceof IOException io ? io : new IOException(e.getMessage(), e)));
            }
        }
    }
}
