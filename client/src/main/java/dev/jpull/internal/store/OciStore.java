package dev.jpull.internal.store;

import dev.jpull.StoreException;
import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.ImageIndex;
import dev.jpull.internal.oci.MediaTypes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.security.MessageDigest;
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
 * <p>Links: nothing in the store is followed except the root directory itself. Files jpull writes are created
 * new or opened without following links and checked to be regular files of this process's user
 * ({@link StoreFiles}); what is unexpected is removed in {@code ingest/} and at blob paths, refused elsewhere. Files
 * are {@code rw-r--r--}, directories {@code rwxr-xr-x}; a world-writable store directory is refused.
 *
 * <p>Errors: {@link #open} reports an unusable directory (not creatable, not writable, a file) as a
 * {@link StoreException} (the caller named a bad store directory); later I/O failures, a corrupt or
 * oversized {@code index.json}, and anything unexpected in the store are {@link StoreException}s naming
 * the file; a malformed digest is an {@link IllegalArgumentException}.
 *
 * <p>skopeo 1.9 reads the store: {@code skopeo inspect oci:STORE:REFNAME}. skopeo splits that string at the
 * <em>first</em> colon, so ref names may contain colons and {@code @} (verified with skopeo 1.9.3 for
 * {@code docker.io/library/alpine:latest}, {@code 127.0.0.1:5000/library/alpine:latest} and
 * {@code docker.io/library/alpine@sha256:...}), but the store path itself must not contain a colon.
 *
 * <p>A pull reaches the store only through {@link OciDestination}, its {@link dev.jpull.spi.Destination}: a blob
 * writer there is {@link #lockBlob} plus {@link #openPartial}, committed with {@link #commit(PartialBlob, BlobLock)};
 * recording the image is {@link #tag}.
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
     * when missing (an existing {@code index.json} is never overwritten). {@code dir} itself may be a link (the
     * operator chose it); {@code blobs/}, {@code blobs/sha256/} and the files jpull writes may not.
     *
     * @throws StoreException when {@code dir} cannot be created or written
     * @throws StoreException when the store holds something jpull did not put there (a link, a world-writable
     *                        directory)
     */
    public static OciStore open(Path dir) {
        Objects.requireNonNull(dir, "dir");
        OciStore store = new OciStore(dir.toAbsolutePath().normalize());
        try {
            if (!Files.isDirectory(store.root)) {
                Files.createDirectories(store.root);
                StoreFiles.setMode(store.root, StoreFiles.DIR_MODE);
            }
            StoreFiles.requireNotWorldWritable(store.root, StoreFiles.stat(store.root.toRealPath()));
            StoreFiles.ensureDirectory(store.blobs.getParent(), false);
            StoreFiles.ensureDirectory(store.blobs, false);
            StoreFiles.ensureDirectory(store.ingest, true);
            Path layout = store.root.resolve("oci-layout");
            StoreFiles.Entry existing = StoreFiles.stat(layout);
            if (existing == null) {
                String json = "{\"imageLayoutVersion\":\"" + MediaTypes.OCI_LAYOUT_VERSION + "\"}";
                StoreFiles.writeAtomically(layout, json.getBytes(StandardCharsets.UTF_8));
            } else if (existing.link() || !existing.regular()) {
                throw StoreFiles.refused(layout, existing.link() ? "is a symbolic link" : "is not a regular file");
            }
            store.index.createIfMissing();
        } catch (IOException e) {
            throw new StoreException("cannot use store directory \"" + dir + "\": " + reason(e), e);
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

    /**
     * True when the blob is present: a regular file at its path (a link or directory there is not a blob, and is
     * never followed). Its size and content are not checked; see {@link #check}.
     */
    public boolean hasBlob(String digest) {
        return check(digest, -1, false).ok();
    }

    /**
     * {@code <root>/blobs/<algorithm>/<hex>} ({@code blobs/sha256/...}, {@code blobs/sha512/...}); throws
     * {@link IllegalArgumentException} for a malformed or unsupported digest. The one place a blob path is built
     * from a digest.
     */
    public Path blobPath(String digest) {
        return blobs.resolveSibling(Digests.algorithm(digest)).resolve(Digests.hex(digest));
    }

    /**
     * The state of the stored blob: absent, or present and good, or present and bad (its size is not
     * {@code size} when {@code size >= 0}, it does not hash to {@code digest} when {@code rehash}, it is a link or
     * a directory). Nothing is removed; see {@link #removeBlob}.
     */
    public BlobCheck check(String digest, long size, boolean rehash) {
        Path path = blobPath(digest);
        try {
            StoreFiles.Entry e = StoreFiles.stat(path);
            if (e == null) {
                return BlobCheck.absent(digest);
            }
            if (e.link() || !e.regular()) {
                return new BlobCheck(digest, true, e.size(), e.link() ? "is a symbolic link" : "is not a regular file");
            }
            if (size >= 0 && e.size() != size) {
                return new BlobCheck(digest, true, e.size(), "has " + e.size() + " bytes, not " + size);
            }
            if (rehash) {
                String actual = hash(path, digest);
                if (actual == null) {
                    return BlobCheck.absent(digest);
                }
                if (!actual.equals(digest)) {
                    return new BlobCheck(digest, true, e.size(), "hashes to " + actual);
                }
            }
            return new BlobCheck(digest, true, e.size(), null);
        } catch (IOException e) {
            throw StoreFiles.failure("read", path, e);
        }
    }

    private static String hash(Path path, String digest) throws IOException {
        FileChannel ch = StoreFiles.openRead(path);
        if (ch == null) {
            return null;
        }
        MessageDigest md = Digests.newDigest(digest);
        try (ch) {
            ByteBuffer buf = ByteBuffer.allocate(256 * 1024);
            while (ch.read(buf) >= 0) {
                buf.flip();
                md.update(buf);
                buf.clear();
            }
        }
        return Digests.of(md);
    }

    /** Removes whatever is at the blob's path (a link as a link, never its target). */
    public void removeBlob(String digest) {
        Path path = blobPath(digest);
        try {
            StoreFiles.removeTree(path);
        } catch (IOException e) {
            throw StoreFiles.failure("remove", path, e);
        }
    }

    /**
     * The whole blob, at most {@value StoreFiles#MAX_METADATA_BYTES} bytes (for manifests and configs);
     * {@link UncheckedIOException} (cause {@code NoSuchFileException}) when it is absent, {@link StoreException}
     * when it is larger, a link or unreadable.
     */
    public byte[] readBlob(String digest) {
        Path path = blobPath(digest);
        byte[] bytes;
        try {
            bytes = StoreFiles.readBounded(path);
        } catch (IOException e) {
            throw StoreFiles.failure("read", path, e);
        }
        if (bytes == null) {
            throw new UncheckedIOException("cannot read blob " + digest + ": it is not in the store",
                    new NoSuchFileException(path.toString()));
        }
        return bytes;
    }

    /**
     * The blob opened for reading (never through a link), for streaming a blob of any size; null when absent.
     *
     * @throws StoreException when it cannot be opened or is not a regular file
     */
    public FileChannel openBlob(String digest) {
        Path path = blobPath(digest);
        try {
            return StoreFiles.openRead(path);
        } catch (IOException e) {
            throw StoreFiles.failure("read", path, e);
        }
    }

    /**
     * A new, empty, uniquely named file in {@code <root>/ingest/} to stream {@code digest}'s content into; hand it
     * to {@link #commit} once verified, or delete it.
     */
    public Path createTemp(String digest) {
        String prefix = Digests.hex(digest).substring(0, 12) + "-";
        try {
            return StoreFiles.writeTemp(ingest, prefix, new byte[0]);
        } catch (IOException e) {
            throw StoreFiles.failure("create a temporary file in", ingest, e);
        }
    }

    /**
     * Moves the verified file {@code temp} to the blob's path by an atomic rename (a plain replacing move only
     * where atomic moves are unsupported); {@code temp} must be a regular file, never a link. When the blob is
     * already present {@code temp} is deleted; a link or directory in its place is removed first.
     * Does not re-hash: the caller must have verified {@code temp}'s content against {@code digest}.
     */
    public void commit(Path temp, String digest) {
        Path target = blobPath(digest);
        try {
            StoreFiles.Entry e = StoreFiles.stat(target);
            if (e != null && e.regular() && !e.link()) {
                Files.deleteIfExists(temp);
                return;
            }
            if (e != null) {
                StoreFiles.removeTree(target);
            }
            StoreFiles.ensureDirectory(target.getParent(), false); // blobs/sha512/ is made on first use
            StoreFiles.move(temp, target);
        } catch (IOException e) {
            throw StoreFiles.failure("store blob " + digest + " as", target, e);
        }
    }

    /**
     * The partial download of {@code digest} opened for reading (never through a link), for a reader that follows a
     * download another thread writes (the serving mirror); null when there is none (not started, or committed).
     */
    public FileChannel openPartialRead(String digest) {
        Path path = partialPath(digest);
        try {
            return StoreFiles.openRead(path);
        } catch (IOException e) {
            throw StoreFiles.failure("read", path, e);
        }
    }

    /** {@code <root>/ingest/<algorithm>-<hex>.partial}: where {@code digest} accumulates across attempts and runs. */
    public Path partialPath(String digest) {
        return ingest.resolve(Digests.algorithm(digest) + "-" + Digests.hex(digest) + ".partial");
    }

    /**
     * Blocks until the calling thread holds the exclusive per-blob lock ({@code ingest/<algorithm>-<hex>.lock}),
     * against other threads and other processes. Hold it while using the blob's {@link PartialBlob}, and check
     * {@link #hasBlob} again once it is held: whoever held it before may have committed the blob.
     */
    public BlobLock lockBlob(String digest) {
        Path file = ingest.resolve(Digests.algorithm(digest) + "-" + Digests.hex(digest) + ".lock");
        try {
            return BlobLock.acquire(file);
        } catch (IOException e) {
            throw StoreFiles.failure("lock", file, e);
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
            throw StoreFiles.failure("open", path, e);
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
            throw StoreFiles.failure("close", partial.path(), e);
        }
        commit(partial.path(), partial.digest());
        lock.deleteOnClose();
    }

    /**
     * Stores {@code bytes} as blob {@code digest} after checking that they hash to it. A stored copy of another
     * size (or, with {@code rehashExisting}, other content) is replaced.
     *
     * @return what was wrong with the stored copy that was replaced, or null
     * @throws IllegalArgumentException when {@code digest} is malformed or does not match {@code bytes}
     */
    public String writeBlob(String digest, byte[] bytes, boolean rehashExisting) {
        Digests.requireValid(digest);
        String actual = Digests.sameAlgorithm(digest, bytes);
        if (!actual.equals(digest)) {
            throw new IllegalArgumentException("content does not match digest " + digest + " (it hashes to "
                    + actual + ")");
        }
        BlobCheck existing = check(digest, bytes.length, rehashExisting);
        if (existing.ok()) {
            return null;
        }
        String replaced = null;
        if (existing.present()) {
            try (BlobLock lock = lockBlob(digest)) {
                BlobCheck again = check(digest, bytes.length, rehashExisting);
                if (again.ok()) {
                    return null;
                }
                replaced = again.problem();
                removeBlob(digest);
            }
        }
        Path temp = null;
        try {
            temp = StoreFiles.writeTemp(ingest, Digests.hex(digest).substring(0, 12) + "-", bytes);
            commit(temp, digest);
        } catch (IOException e) {
            throw StoreFiles.failure("write", temp != null ? temp : ingest, e);
        } finally {
            if (temp != null) {
                deleteQuietly(temp);
            }
        }
        return replaced;
    }

    /** {@link #writeBlob(String, byte[], boolean)} without re-hashing a stored copy of the right size. */
    public String writeBlob(String digest, byte[] bytes) {
        return writeBlob(digest, bytes, false);
    }

    /**
     * Copies {@code size} bytes of {@code source} from {@code position} into the store as one blob, hashing them
     * on the way (with {@code expected}'s algorithm, sha256 when {@code expected} is null); returns their digest.
     * When {@code expected} is not null and they do not hash to it, nothing is stored and the result is what they
     * hash to (the caller compares). A blob already present is left as it is.
     */
    public String importBlob(FileChannel source, long position, long size, String expected) {
        Path temp = createTemp(expected != null ? expected : "sha256:" + "0".repeat(64));
        try {
            MessageDigest md = expected != null ? Digests.newDigest(expected) : Digests.newSha256();
            try (FileChannel out = FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                ByteBuffer buf = ByteBuffer.allocate(256 * 1024);
                long done = 0;
                while (done < size) {
                    buf.clear().limit((int) Math.min(buf.capacity(), size - done));
                    int n = source.read(buf, position + done);
                    if (n < 0) {
                        throw new java.io.EOFException("the source ended " + (size - done) + " bytes early");
                    }
                    buf.flip();
                    md.update(buf.duplicate());
                    while (buf.hasRemaining()) {
                        out.write(buf);
                    }
                    done += n;
                }
                out.force(true);
            }
            String digest = Digests.of(md);
            if (expected == null || expected.equals(digest)) {
                commit(temp, digest);
            }
            return digest;
        } catch (IOException e) {
            throw StoreFiles.failure("write", temp, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /**
     * Adds {@code manifest} as an {@code index.json} entry without a ref name, unless such an entry exists (an
     * image loaded from an archive that names nothing); the manifest blob must be in the store.
     */
    public void addUnnamed(Descriptor manifest) {
        if (!check(manifest.digest(), manifest.size(), false).ok()) {
            throw new IllegalStateException("manifest " + manifest.digest() + " is not in the store");
        }
        index.putUnnamed(manifest.withAnnotations(null));
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
        if (!check(manifest.digest(), manifest.size(), false).ok()) {
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

    /**
     * Removes the {@code index.json} entries that have no ref name and point at {@code manifestDigest} (what a
     * copy into the layout without a name leaves), then deletes their blobs no remaining entry uses, as
     * {@link #remove} does. Empty when there is no such entry.
     */
    public Optional<Removal> removeUnnamed(String manifestDigest) {
        Objects.requireNonNull(manifestDigest, "manifestDigest");
        return index.remove(d -> IndexFile.refNameOf(d) == null && manifestDigest.equals(d.digest()),
                (removed, remaining) -> BlobCollector.collect(this, null, removed, remaining));
    }

    /**
     * Deletes the blobs no entry uses that were written before {@code limit} ({@link BlobPruner}), holding the index
     * lock throughout.
     */
    public dev.jpull.BlobPruneReport pruneBlobs(java.time.Instant limit, long keepBytes, java.time.Instant youngest) {
        return index.remove(d -> false, (none, current) -> BlobPruner.prune(this, blobs.getParent(), current, limit,
                keepBytes, youngest));
    }

    /** The ref name of an {@code index.json} entry, or null when it has none. */
    public static String refNameOf(Descriptor entry) {
        return IndexFile.refNameOf(entry);
    }

    /** {@code <root>/ingest/}: partial downloads, their lock files and temporary files ({@link Ingest}). */
    Path ingestDir() {
        return ingest;
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
