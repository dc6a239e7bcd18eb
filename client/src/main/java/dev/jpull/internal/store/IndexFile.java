package dev.jpull.internal.store;

import dev.jpull.StoreException;
import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.ImageIndex;
import dev.jpull.internal.oci.IndexCodec;
import dev.jpull.internal.oci.MediaTypes;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The store's {@code index.json}: read without locking (it is only ever replaced by an atomic rename), and
 * updated read-modify-write under an exclusive lock so concurrent taggers never lose each other's entries.
 *
 * <p>The lock is two-level: a JVM-wide lock per lock file ({@link KeyedLocks}: a java.nio {@link FileLock} is held
 * per JVM, and a second channel of the same JVM asking for it would get an {@code OverlappingFileLockException}),
 * then the {@link FileLock} on {@code <root>/.jpull.lock}, which excludes other processes.
 */
final class IndexFile {
    /** Annotation naming an {@code index.json} entry (image-spec {@code annotations.md}). */
    static final String REF_NAME = "org.opencontainers.image.ref.name";

    private static final KeyedLocks<Path> JVM_LOCKS = new KeyedLocks<>();

    private final Path file;
    private final Path lockFile;

    IndexFile(Path root) {
        this.file = root.resolve("index.json");
        this.lockFile = root.resolve(".jpull.lock");
    }

    /**
     * {@code empty()} as {@link IndexCodec} (and Jackson's mapper) writes it (IndexFileTest checks), so that opening a
     * store does not need JSON before the first request of a pull.
     */
    static final byte[] EMPTY_JSON = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX
            + "\",\"manifests\":[]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);

    static ImageIndex empty() {
        return new ImageIndex(2, MediaTypes.OCI_INDEX, List.of(), null);
    }

    /** Creates an empty {@code index.json} unless one exists (under the lock, so it never clobbers a tag). */
    void createIfMissing() throws IOException {
        withLock(() -> {
            StoreFiles.Entry e = StoreFiles.stat(file);
            if (e == null) {
                writeAtomically(file, EMPTY_JSON.clone());
            } else if (e.link() || !e.regular()) {
                throw StoreFiles.refused(file, e.link() ? "is a symbolic link" : "is not a regular file");
            } else if (e.size() > StoreFiles.MAX_METADATA_BYTES) {
                // refused before a pull downloads anything it could then not record
                throw corrupt("it is larger than jpull reads (" + (StoreFiles.MAX_METADATA_BYTES >> 20) + " MiB)",
                        null);
            }
            return null;
        });
    }

    /**
     * The current index (no lock: readers always see a whole file), read without following a link and at most
     * {@value StoreFiles#MAX_METADATA_BYTES} bytes.
     *
     * @throws StoreException when it cannot be read, is too large or is not an OCI index
     */
    ImageIndex read() {
        byte[] bytes;
        try {
            bytes = StoreFiles.readBounded(file);
        } catch (IOException e) {
            throw StoreFiles.failure("read", file, e);
        }
        return bytes == null ? empty() : parse(bytes);
    }

    Optional<Descriptor> lookup(String refName) {
        return read().manifests().stream().filter(d -> refName.equals(refNameOf(d))).findFirst();
    }

    /** Replaces the entry named {@code refName} in place (appends when there is none); keeps all others. */
    void put(String refName, Descriptor manifest) {
        Map<String, String> annotations = new LinkedHashMap<>();
        if (manifest.annotations() != null) {
            annotations.putAll(manifest.annotations());
        }
        annotations.put(REF_NAME, refName);
        Descriptor entry = manifest.withAnnotations(annotations);
        update(index -> {
            List<Descriptor> out = new ArrayList<>();
            boolean placed = false;
            for (Descriptor d : index.manifests()) {
                if (!refName.equals(refNameOf(d))) {
                    out.add(d);
                } else if (!placed) {
                    out.add(entry);
                    placed = true;
                }
            }
            if (!placed) {
                out.add(entry);
            }
            return new ImageIndex(index.schemaVersion(), index.mediaType(), out, index.annotations());
        });
    }

    /** Appends {@code entry} (which has no ref name) unless an entry without a name has its digest already. */
    void putUnnamed(Descriptor entry) {
        update(index -> {
            for (Descriptor d : index.manifests()) {
                if (refNameOf(d) == null && d.digest().equals(entry.digest())) {
                    return index;
                }
            }
            List<Descriptor> out = new ArrayList<>(index.manifests());
            out.add(entry);
            return new ImageIndex(index.schemaVersion(), index.mediaType(), out, index.annotations());
        });
    }

    /**
     * Removes every entry named {@code refName} and, still holding the lock (so no tag can come in between), hands
     * the removed entries and the remaining index to {@code after}; its result is returned. When nothing is named
     * {@code refName} the file is left alone and {@code after} gets an empty list.
     */
    <T> T remove(String refName, BiFunction<List<Descriptor>, ImageIndex, T> after) {
        return remove(d -> refName.equals(refNameOf(d)), after);
    }

    /** As {@link #remove(String, BiFunction)}, for every entry {@code which} selects. */
    <T> T remove(Predicate<Descriptor> which, BiFunction<List<Descriptor>, ImageIndex, T> after) {
        try {
            return withLock(() -> {
                ImageIndex index = read();
                List<Descriptor> kept = new ArrayList<>();
                List<Descriptor> removed = new ArrayList<>();
                for (Descriptor d : index.manifests()) {
                    (which.test(d) ? removed : kept).add(d);
                }
                ImageIndex remaining = new ImageIndex(index.schemaVersion(), index.mediaType(), kept,
                        index.annotations());
                if (!removed.isEmpty()) {
                    writeAtomically(file, IndexCodec.write(remaining));
                }
                return after.apply(removed, remaining);
            });
        } catch (IOException e) {
            throw StoreFiles.failure("update", file, e);
        }
    }

    private void update(UnaryOperator<ImageIndex> change) {
        try {
            withLock(() -> {
                ImageIndex updated = change.apply(read());
                writeAtomically(file, IndexCodec.write(updated));
                return null;
            });
        } catch (IOException e) {
            throw StoreFiles.failure("update", file, e);
        }
    }

    private ImageIndex parse(byte[] bytes) {
        ImageIndex index;
        try {
            index = IndexCodec.read(bytes);
        } catch (IOException | RuntimeException e) {
            throw corrupt("it is not an OCI image index (JSON object with a \"manifests\" array)", e);
        }
        if (index.manifests() == null) {
            return new ImageIndex(index.schemaVersion(), index.mediaType(), List.of(), index.annotations());
        }
        int i = 0;
        for (Descriptor d : index.manifests()) {
            if (!Digests.isValid(d.digest()) || d.size() < 0) {
                throw corrupt("entry " + i + " of \"manifests\" has no valid digest and size", null);
            }
            i++;
        }
        return index;
    }

    private StoreException corrupt(String what, Throwable cause) {
        return new StoreException(file + " is corrupt: " + what + "; remove or repair it", cause);
    }

    static String refNameOf(Descriptor d) {
        return d.annotations() == null ? null : d.annotations().get(REF_NAME);
    }

    private interface LockedAction<T> {
        T run() throws IOException;
    }

    private <T> T withLock(LockedAction<T> action) throws IOException {
        try (KeyedLocks<Path>.Held jvmLock = JVM_LOCKS.lock(lockKey());
             FileChannel channel = StoreFiles.openOrCreate(lockFile, false);
             FileLock ignored = channel.lock()) {
            return action.run();
        }
    }

    /** Stores whose {@code index.json} lock this JVM's threads hold or wait for now (tests). */
    static int inUse() {
        return JVM_LOCKS.inUse();
    }

    private Path lockKey() throws IOException {
        return lockFile.getParent().toRealPath().resolve(lockFile.getFileName());
    }

    /** Writes {@code bytes} to a new sibling temp file, forces it to disk, then renames it over {@code target}. */
    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        StoreFiles.writeAtomically(target, bytes);
    }
}
