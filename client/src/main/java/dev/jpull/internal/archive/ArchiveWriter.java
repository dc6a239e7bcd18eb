package dev.jpull.internal.archive;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.Json;
import dev.jpull.internal.oci.MediaTypes;
import dev.jpull.DestinationException;
import dev.jpull.ImageReference;
import dev.jpull.internal.store.OciStore;
import dev.jpull.internal.store.StoredImage;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes images of the store as one tar that is both an OCI image layout and a Docker image archive, the format
 * of {@code docker save} since Docker 25:
 * <ul>
 * <li>{@code blobs/sha256/<hex>}: every manifest, config and layer once, as stored (layers stay compressed);</li>
 * <li>{@code oci-layout};</li>
 * <li>{@code index.json}: one entry per reference, annotated with both {@code io.containerd.image.name} and
 *     {@code org.opencontainers.image.ref.name} set to the full normalised reference (containerd's importer names
 *     images from the former; skopeo's {@code oci-archive:FILE:REF} matches the latter, as in the store);</li>
 * <li>{@code manifest.json}: Docker's list of {@code {Config, RepoTags, Layers}} with paths into {@code blobs/},
 *     one element per image manifest, listing every tag that points at it (digest references have no tag to
 *     list).</li>
 * </ul>
 * containerd ({@code ctr images import}, the K3s air-gap images directory) reads the OCI part (when
 * {@code oci-layout} is present it ignores {@code manifest.json}); skopeo ({@code docker-archive:FILE:REF}) reads
 * {@code manifest.json}, decompressing the layers it points at. Both verified with containerd 1.6 and skopeo 1.9.
 *
 * <p>Blobs are streamed from the store and re-hashed on the way: a blob that does not match its digest fails the
 * save instead of producing a broken archive. The archive is written to a temporary file beside {@code out} and
 * renamed into place, so {@code out} is either the complete archive or untouched.
 */
public final class ArchiveWriter {
    /** containerd's annotation carrying the full image name ({@code images.AnnotationImageName}). */
    public static final String CONTAINERD_IMAGE_NAME = "io.containerd.image.name";
    /** The OCI annotation naming an {@code index.json} entry. */
    public static final String REF_NAME = "org.opencontainers.image.ref.name";


    private ArchiveWriter() {
    }

    /**
     * Writes {@code images} (in order; duplicates by reference are written once) to {@code out}.
     *
     * @return the archive's size in bytes
     * @throws DestinationException when {@code out} cannot be written, or a blob is missing
     * @throws IllegalStateException when a stored blob does not match its digest
     */
    public static long write(OciStore store, List<StoredImage> images, Path out) {
        Path target = out.toAbsolutePath().normalize();
        Path temp;
        try {
            temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
        } catch (IOException e) {
            throw cannotWrite(out, e);
        }
        try {
            long size;
            try (TarOutput tar = new TarOutput(new BufferedOutputStream(Files.newOutputStream(temp), 64 * 1024))) {
                writeTo(store, images, tar);
                size = tar.written();
            }
            readableByAll(temp);
            move(temp, target);
            return size;
        } catch (IOException e) {
            throw cannotWrite(out, e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /** The archive cannot be written: a {@link DestinationException} naming it and why, in one line. */
    private static DestinationException cannotWrite(Path out, IOException e) {
        return new DestinationException("cannot write " + out + ": " + reason(e), e);
    }

    private static String reason(IOException e) {
        return e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : e instanceof java.nio.file.NoSuchFileException ? "no such file or directory"
                : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /**
     * Writes {@code images} as the archive to {@code out} as it goes ({@code jpull save -o -}); {@code out} is
     * flushed, not closed. A failure part way leaves a cut archive behind, as {@code docker save} does.
     *
     * @return the archive's size in bytes
     * @throws DestinationException when {@code out} cannot be written (a closed pipe)
     */
    public static long write(OciStore store, List<StoredImage> images, OutputStream out, String name) {
        OutputStream kept = new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush(); // the caller's stream stays open
            }
        };
        try (TarOutput tar = new TarOutput(new BufferedOutputStream(kept, 64 * 1024))) {
            writeTo(store, images, tar);
            return tar.written();
        } catch (IOException e) {
            throw new DestinationException("cannot write the archive to " + name + ": " + reason(e), e);
        }
    }

    private static void writeTo(OciStore store, List<StoredImage> images, TarOutput tar) throws IOException {
        Map<String, StoredImage> byRef = new LinkedHashMap<>();
        images.forEach(i -> byRef.putIfAbsent(i.reference(), i));
        Set<String> blobs = new LinkedHashSet<>();
        byRef.values().forEach(i -> blobs.addAll(i.blobs()));

        tar.directory("blobs/");
        tar.directory("blobs/sha256/");
        Set<String> directories = new java.util.HashSet<>(Set.of("sha256"));
        for (String digest : blobs) {
            if (directories.add(Digests.algorithm(digest))) {
                tar.directory("blobs/" + Digests.algorithm(digest) + "/");
            }
            copyBlob(store, digest, tar);
        }
        tar.file("oci-layout", ("{\"imageLayoutVersion\":\"" + MediaTypes.OCI_LAYOUT_VERSION + "\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        tar.file("index.json", Json.MAPPER.writeValueAsBytes(index(byRef.values())));
        tar.file("manifest.json", Json.MAPPER.writeValueAsBytes(dockerManifest(byRef.values())));
        tar.finish();
    }

    private static void copyBlob(OciStore store, String digest, TarOutput tar) throws IOException {
        FileChannel ch = store.openBlob(digest); // never through a link
        if (ch == null) {
            throw new dev.jpull.NoSuchImageException("the store lacks blob " + digest + " (pull the image again)");
        }
        MessageDigest md = Digests.newDigest(digest);
        try (ch; InputStream in = new DigestInputStream(Channels.newInputStream(ch), md)) {
            tar.file(blobName(digest), ch.size(), in);
        }
        String actual = Digests.of(md);
        if (!actual.equals(digest)) {
            throw new IllegalStateException("blob " + digest + " in the store is corrupt (it hashes to " + actual
                    + "); pull the image again");
        }
    }

    static String blobName(String digest) {
        return "blobs/" + Digests.algorithm(digest) + "/" + Digests.hex(digest);
    }

    static ObjectNode index(Iterable<StoredImage> images) {
        ObjectNode index = Json.MAPPER.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        for (StoredImage image : images) {
            Descriptor e = image.entry();
            ObjectNode d = manifests.addObject();
            d.put("mediaType", e.mediaType());
            d.put("digest", e.digest());
            d.put("size", e.size());
            if (e.platform() != null) {
                d.set("platform", Json.MAPPER.valueToTree(e.platform()));
            } else if (image.platform() != null) {
                String[] p = image.platform().split("/");
                ObjectNode platform = d.putObject("platform");
                platform.put("architecture", p[1]);
                platform.put("os", p[0]);
                if (p.length > 2) {
                    platform.put("variant", p[2]);
                }
            }
            ObjectNode annotations = d.putObject("annotations");
            annotations.put(CONTAINERD_IMAGE_NAME, image.reference());
            annotations.put(REF_NAME, image.reference());
        }
        return index;
    }

    static ArrayNode dockerManifest(Iterable<StoredImage> images) {
        Map<String, ObjectNode> byManifest = new LinkedHashMap<>();
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (StoredImage image : images) {
            if (!image.isImage()) {
                continue;
            }
            ObjectNode m = byManifest.computeIfAbsent(image.entry().digest(), k -> {
                ObjectNode n = out.addObject();
                n.put("Config", blobName(image.config().digest()));
                n.putArray("RepoTags");
                ArrayNode layers = n.putArray("Layers");
                image.layers().forEach(l -> layers.add(blobName(l.digest())));
                return n;
            });
            if (isTagged(image.reference())) {
                ((ArrayNode) m.get("RepoTags")).add(image.reference());
            }
        }
        return out;
    }

    /** Docker's RepoTags hold {@code name:tag} only; a digest reference (or an unparsable name) has none. */
    private static boolean isTagged(String reference) {
        try {
            ImageReference ref = ImageReference.parse(reference);
            return ref.tag() != null && ref.digest() == null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * {@code rw-r--r--} like other files users create (a temporary file starts as {@code rw-------}). Asks the
     * file's attribute view, never its {@code FileStore}: finding a file store reads the mount table, which has no
     * entry for the root of a chroot (sbuild, pbuilder, image builders), where it fails with "Mount point not
     * found".
     */
    private static void readableByAll(Path file) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view != null) {
            view.setPermissions(PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private static void move(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
