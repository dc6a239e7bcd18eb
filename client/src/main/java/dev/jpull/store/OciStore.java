package dev.jpull.store;

import dev.jpull.UsageException;
import dev.jpull.oci.Descriptor;
import dev.jpull.oci.Digests;
import dev.jpull.oci.ImageIndex;
import dev.jpull.oci.MediaTypes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An OCI image layout directory (image-spec {@code image-layout.md}) used as jpull's content store:
 * {@code oci-layout}, {@code index.json}, {@code blobs/<algorithm>/<hex>}, plus jpull's own {@code ingest/} staging
 * directory (partial downloads {@code sha256-<hex>.partial} that survive failures and restarts so that a download
 * resumes, their per-blob {@code .lock} files, and temporary files; on the same file system so that
 * {@link #commit} is a rename) and
 * {@code .jpull.lock} (serialises {@code index.json} updates between processes).
 *
 * <p>Invariants: a blob appears under {@code blobs/} only complete (it is renamed into place after the caller
 * verified it); {@code index.json} is only ever replaced by an atomic rename, so readers never see a partial
 * file; {@link #tag} re-reads {@code index.json} under an exclusive lock, so concurrent taggers, in this JVM or
 * in other processes, never lose each other's entries. Every digest is validated with
 * {@link Digests#requireValid} before any path is built from it.
 *
 * <p>Errors: {@link #open} reports an unusable directory (not creatable, not writable, a file) as a
 * {@link UsageException} (exit 2: the user named a bad {@code --store}); later I/O failures are
 * {@link UncheckedIOException}s; a malformed digest is an {@link IllegalArgumentException}.
 *
 * <p>skopeo 1.9 reads the store: {@code skopeo inspect oci:STORE:REFNAME}. skopeo splits that string at the
 * <em>first</em> colon, so ref names may contain colons and {@code @} (verified with skopeo 1.9.3 for
 * {@code docker.io/library/alpine:latest}, {@code 127.0.0.1:5000/library/alpine:latest} and
 * {@code docker.io/library/alpine@sha256:...}), but the store path itself must not contain a colon.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class OciStore {
    private final Path root;
    private final Path blobs;
    private final Path ingest;
    private final IndexFile index;

    private OciStore(Path root) {
        this.root = root;
        this.blobs = root.resolve("blobs").resolve("sha256");
        this.ingest = root.resolve("ingest");
        this.index = new IndexFile(root);
    }

    /**
     * Opens the layout at {@code dir}, creating the directory, {@code oci-layout} and an empty {@code index.json}
     * when missing (an existing {@code index.json} is never overwritten).
     *
     * @throws UsageException when {@code dir} cannot be created or written
     */
    public static OciStore open(Path dir) {
        Objects.requireNonNull(dir, "dir");
        OciStore store = new OciStore(dir.toAbsolutePath().normalize());
        try {
            Files.createDirectories(store.blobs);
            Files.createDirectories(store.ingest);
            Path layout = store.root.resolve("oci-layout");
            if (!Files.exists(layout)) {
                String json = "{\"imageLayoutVersion\":\"" + MediaTypes.OCI_LAYOUT_VERSION + "\"}";
                IndexFile.writeAtomically(layout, json.getBytes(StandardCharsets.UTF_8));
            }
            store.index.createIfMissing();
        } catch (IOException e) {
            throw new UsageException("cannot use store directory \"" + dir + "\": " + reason(e), e);
        }
        return store;
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied: " + e.getMessage();
        }
        if (e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException) {
            return "not a directory: " + e.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** The layout's directory (absolute). */
    public Path root() {
        return root;
    }

    /** True when the blob is present (complete) in the store. */
    public boolean hasBlob(String digest) {
        return Files.isRegularFile(blobPath(digest));
    }

    /**
     * {@code <root>/blobs/<algorithm>/<hex>} ({@code blobs/sha256/...}, {@code blobs/sha512/...}); throws
     * {@link IllegalArgumentException} for a malformed or unsupported digest.
     */
    public Path blobPath(String digest) {
        return blobs.resolveSibling(Digests.algorithm(digest)).resolve(Digests.hex(digest));
    }

    /** The whole blob; {@link UncheckedIOException} (cause {@code NoSuchFileException}) when it is absent. */
    public byte[] readBlob(String digest) {
        Path path = blobPath(digest);
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read blob " + digest + ": " + e.getMessage(), e);
        }
    }

    /**
     * A new, empty, uniquely named file in {@code <root>/ingest/} to stream {@code digest}'s content into; hand it
     * to {@link #commit} once verified, or delete it.
     */
    public Path createTemp(String digest) {
        String prefix = Digests.hex(digest).substring(0, 12) + "-";
        try {
            return Files.createTempFile(ingest, prefix, ".partial");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file in " + ingest + ": " + e.getMessage(), e);
        }
    }

    /**
     * Moves the verified file {@code temp} to {@code blobs/sha256/<hex>} by an atomic rename (a plain replacing
     * move only where atomic moves are unsupported). When the blob is already present {@code temp} is deleted.
     * Does not re-hash: the caller must have verified {@code temp}'s content against {@code digest}.
     */
    public void commit(Path temp, String digest) {
        Path target = blobPath(digest);
        try {
            if (Files.isRegularFile(target)) {
                Files.deleteIfExists(temp);
                return;
            }
            Files.createDirectories(target.getParent()); // blobs/sha512/ is made on first use
            IndexFile.move(temp, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store blob " + digest + ": " + e.getMessage(), e);
        }
    }

    /** {@code <root>/ingest/sha256-<hex>.partial}: where {@code digest} accumulates across attempts and runs. */
    public Path partialPath(String digest) {
        return ingest.resolve(Digests.algorithm(digest) + "-" + Digests.hex(digest) + ".partial");
    }

    /**
     * Blocks until the calling thread holds the exclusive per-blob lock ({@code ingest/sha256-<hex>.lock}),
     * against other threads and other processes. Hold it while using the blob's {@link PartialBlob}, and check
     * {@link #hasBlob} again once it is held: whoever held it before may have committed the blob.
     */
    public BlobLock lockBlob(String digest) {
        Path file = ingest.resolve(Digests.algorithm(digest) + "-" + Digests.hex(digest) + ".lock");
        try {
            return BlobLock.acquire(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens (creating) the partial download of {@code digest}, {@code size} bytes long, keeping and re-hashing
     * what an earlier attempt or process left there (a prefix longer than {@code size} is discarded). The caller
     * must hold {@link #lockBlob} for it.
     */
    public PartialBlob openPartial(String digest, long size) {
        Path path = partialPath(digest);
        try {
            return PartialBlob.open(path, digest, size);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Closes {@code partial} and moves it to {@code blobs/} by an atomic rename, after checking that it is
     * complete and hashes to its digest. Then the lock file goes too ({@code lock} must be the blob's lock,
     * held by the caller).
     *
     * @throws IllegalStateException when the partial is incomplete or does not match its digest
     */
    public void commit(PartialBlob partial, BlobLock lock) {
        if (!partial.verified()) {
            throw new IllegalStateException("refusing to commit " + partial + ": it hashes to "
                    + partial.actualDigest());
        }
        try {
            partial.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + partial.path() + ": " + e.getMessage(), e);
        }
        commit(partial.path(), partial.digest());
        lock.deleteOnClose();
    }

    /**
     * Stores {@code bytes} as blob {@code digest} after checking that they hash to it.
     *
     * @throws IllegalArgumentException when {@code digest} is malformed or does not match {@code bytes}
     */
    public void writeBlob(String digest, byte[] bytes) {
        String actual = Digests.sameAlgorithm(digest, bytes);
        if (!actual.equals(digest)) {
            throw new IllegalArgumentException("content does not match digest " + digest + " (it hashes to "
                    + actual + ")");
        }
        if (hasBlob(digest)) {
            return;
        }
        Path temp = createTemp(digest);
        try {
            Files.write(temp, bytes);
            commit(temp, digest);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store blob " + digest + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /**
     * Points {@code refName} (the normalised reference, e.g. {@code docker.io/library/alpine:latest}) at
     * {@code manifest}: the {@code index.json} entry annotated {@code org.opencontainers.image.ref.name=refName}
     * is replaced in place (appended when there is none); all other entries are kept. The manifest blob must
     * already be in the store, so an entry never points at missing content.
     *
     * @throws IllegalArgumentException for a blank ref name or a malformed manifest digest
     * @throws IllegalStateException when the manifest blob is not in the store
     */
    public void tag(String refName, Descriptor manifest) {
        if (refName == null || refName.isBlank()) {
            throw new IllegalArgumentException("ref name must not be blank");
        }
        Objects.requireNonNull(manifest, "manifest");
        if (!hasBlob(manifest.digest())) {
            throw new IllegalStateException("cannot tag " + refName + ": manifest " + manifest.digest()
                    + " is not in the store");
        }
        index.put(refName, manifest);
    }

    /** The descriptor {@code refName} points at (with its ref-name annotation), if tagged. */
    public Optional<Descriptor> lookup(String refName) {
        return refName == null ? Optional.empty() : index.lookup(refName);
    }

    /** The named entries of {@code index.json} in file order (ref name to descriptor; the first of duplicates). */
    public Map<String, Descriptor> references() {
        Map<String, Descriptor> out = new LinkedHashMap<>();
        for (Descriptor d : index.read().manifests()) {
            String name = IndexFile.refNameOf(d);
            if (name != null) {
                out.putIfAbsent(name, d);
            }
        }
        return out;
    }

    /**
     * Removes the {@code index.json} entry named {@code refName}, then deletes those of its blobs (manifest,
     * config, layers; an index's children) that no remaining entry uses, all under the index lock (see
     * {@link BlobCollector} for what is never deleted). Empty when no entry has that name.
     *
     * <p>A pull running at the same time whose image shares blobs with the removed one may find a blob gone that
     * it had seen as present; pulling again downloads what is missing.
     */
    public Optional<Removal> remove(String refName) {
        Objects.requireNonNull(refName, "refName");
        return index.remove(refName, (removed, remaining) ->
                BlobCollector.collect(this, refName, removed, remaining));
    }

    /** The current {@code index.json}. */
    public ImageIndex index() {
        return index.read();
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // best effort: a leftover in ingest/ is harmless
        }
    }

    @Override
    public String toString() {
        return "OciStore[" + root + "]";
    }
}
