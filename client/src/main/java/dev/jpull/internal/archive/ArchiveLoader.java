package dev.jpull.internal.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpull.ArchiveException;
import dev.jpull.ImageReference;
import dev.jpull.ReferenceException;
import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.ImageIndex;
import dev.jpull.internal.oci.InvalidManifestException;
import dev.jpull.internal.oci.Json;
import dev.jpull.internal.oci.ManifestDocument;
import dev.jpull.internal.oci.ManifestParser;
import dev.jpull.internal.oci.MediaTypes;
import dev.jpull.internal.store.OciStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Imports an image archive into the store ({@code jpull load}): an OCI image layout in a tar (jpull's and
 * docker 25's {@code save}, skopeo's {@code oci-archive}, containerd's export), or a Docker archive
 * ({@code manifest.json}: older {@code docker save}, skopeo's {@code docker-archive}). When both are present (jpull's
 * own archive) the OCI layout is read, which keeps every digest.
 *
 * <p>A Docker archive has no manifest: jpull writes an OCI image manifest for each image, from its
 * config and layer files as they are (their digests are the config's and the layers' own, checked against the
 * config's {@code rootfs.diff_ids}); the manifest digest is therefore jpull's, not the registry's.
 *
 * <p>Every blob is hashed while it is copied and refused when it does not match its name; the references are
 * tagged only after all of an image's content is in the store.
 */
public final class ArchiveLoader {
    private static final int MAX_DEPTH = 4;
    private static final int MAX_METADATA = 16 << 20;

    private final OciStore store;
    private final Path file;
    private final FileChannel ch;
    private final Map<String, TarIndex.Entry> entries;

    /** One image put into the store: the reference it was tagged with (null: none) and its entry. */
    public record Loaded(String reference, Descriptor entry) {
    }

    /** What was loaded, and whether it came from the OCI layout ({@code oci}) or Docker's manifest.json. */
    public record Result(String format, List<Loaded> images) {
    }

    private ArchiveLoader(OciStore store, Path file, FileChannel ch, Map<String, TarIndex.Entry> entries) {
        this.store = store;
        this.file = file;
        this.ch = ch;
        this.entries = entries;
    }

    /** @throws ArchiveException when {@code file} cannot be read as an image archive */
    public static Result load(OciStore store, Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Map<String, TarIndex.Entry> entries;
            try {
                entries = TarIndex.read(ch);
            } catch (IOException e) {
                throw new ArchiveException("cannot load " + file + ": " + e.getMessage(), e);
            }
            ArchiveLoader loader = new ArchiveLoader(store, file, ch, entries);
            if (entries.containsKey("index.json") && entries.containsKey("oci-layout")) {
                return new Result("oci", loader.loadOci());
            }
            if (entries.containsKey("manifest.json")) {
                return new Result("docker", new DockerArchive(loader).load());
            }
            throw loader.problem("it is not an image archive (neither an OCI layout, index.json and oci-layout, "
                    + "nor a Docker archive, manifest.json)");
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ArchiveException("cannot load " + file + ": no such file", e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new ArchiveException("cannot load " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new ArchiveException("cannot load " + file + ": " + e.getMessage(), e);
        }
    }

    ArchiveException problem(String what) {
        return new ArchiveException("cannot load " + file + ": " + what);
    }

    private List<Loaded> loadOci() throws IOException {
        ImageIndex index;
        try {
            index = Json.MAPPER.readValue(read("index.json"), ImageIndex.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw problem("index.json is not an OCI image index");
        }
        List<Loaded> out = new ArrayList<>();
        for (Descriptor d : index.manifests() == null ? List.<Descriptor>of() : index.manifests()) {
            if (d == null || !Digests.isValid(d.digest())) {
                throw problem("index.json has an entry without a valid digest");
            }
            importTree(d, 1);
            Descriptor entry = new Descriptor(d.mediaType(), d.digest(), d.size(), null, null, d.platform());
            String name = name(d.annotations());
            if (name == null) {
                store.addUnnamed(entry);
            } else {
                store.tag(name, entry);
            }
            out.add(new Loaded(name, entry));
        }
        return out;
    }

    /** Imports {@code d} and, for a manifest or index, everything it refers to (children first). */
    private void importTree(Descriptor d, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw problem("an index nests deeper than " + MAX_DEPTH);
        }
        if (MediaTypes.isIndex(d.mediaType()) || MediaTypes.isImageManifest(d.mediaType())) {
            ManifestDocument doc;
            try {
                doc = ManifestParser.parse(read(blobName(d)), d.mediaType());
            } catch (InvalidManifestException e) {
                throw problem(blobName(d) + " is not a valid manifest: " + e.getMessage());
            }
            List<Descriptor> children = new ArrayList<>();
            if (doc.isIndex()) {
                children.addAll(doc.index().manifests());
            } else {
                children.add(doc.manifest().config());
                children.addAll(doc.manifest().layers() == null ? List.of() : doc.manifest().layers());
            }
            for (Descriptor c : children) {
                importTree(c, depth + 1);
            }
        }
        importBlob(blobName(d), d.digest(), d.size());
    }

    private static String blobName(Descriptor d) {
        return "blobs/" + Digests.algorithm(d.digest()) + "/" + Digests.hex(d.digest());
    }

    /** Copies entry {@code name} into the store as {@code digest} (null: sha256 of it); returns its digest. */
    String importBlob(String name, String digest, long size) throws IOException {
        TarIndex.Entry e = entry(name);
        if (size >= 0 && e.size() != size) {
            throw problem(name + " has " + e.size() + " bytes, not " + size);
        }
        if (digest != null && store.check(digest, e.size(), false).ok()) {
            return digest;
        }
        String actual = store.importBlob(ch, e.offset(), e.size(), digest);
        if (digest != null && !digest.equals(actual)) {
            throw problem(name + " is corrupt: it hashes to " + actual + ", not " + digest);
        }
        return actual;
    }

    /** The ref name for an entry's annotations: containerd's image name, else the OCI ref name; null: none. */
    private static String name(Map<String, String> annotations) {
        if (annotations == null) {
            return null;
        }
        String name = annotations.getOrDefault(ArchiveWriter.CONTAINERD_IMAGE_NAME,
                annotations.get(ArchiveWriter.REF_NAME));
        return name == null || name.isEmpty() ? null : reference(name);
    }

    /**
     * A name with a repository part ({@code /}, {@code :} or {@code @}) normalised as for pull; a bare word (skopeo's
     * {@code oci-archive:FILE:v1}) is a tag of nothing known and is kept as it is.
     */
    static String reference(String name) {
        if (name.indexOf('/') < 0 && name.indexOf(':') < 0 && name.indexOf('@') < 0) {
            return name;
        }
        try {
            return ImageReference.parse(name).toString();
        } catch (ReferenceException e) {
            return name;
        }
    }

    /** The entry {@code name}, following symbolic and hard links inside the archive. */
    TarIndex.Entry entry(String name) {
        TarIndex.Entry e = entries.get(TarIndex.normalise(name));
        for (int hops = 0; e != null && e.link() && hops < 16; hops++) {
            String target = e.type() == '2' && !e.linkName().startsWith("/") && e.name().contains("/")
                    ? e.name().substring(0, e.name().lastIndexOf('/') + 1) + e.linkName() : e.linkName();
            e = entries.get(resolveDots(target));
        }
        if (e == null || !e.regular()) {
            throw problem("it lacks " + name);
        }
        return e;
    }

    private static String resolveDots(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : TarIndex.normalise(path).split("/")) {
            if (p.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
            } else {
                parts.add(p);
            }
        }
        return String.join("/", parts);
    }

    /** The whole entry {@code name} (at most 16 MiB: manifests, configs, index.json, manifest.json). */
    byte[] read(String name) throws IOException {
        TarIndex.Entry e = entry(name);
        if (e.size() > MAX_METADATA) {
            throw problem(name + " is larger than " + (MAX_METADATA >> 20) + " MiB");
        }
        ByteBuffer b = ByteBuffer.allocate((int) e.size());
        TarIndex.readFully(ch, b, e.offset());
        return b.array();
    }

    /** The first bytes of entry {@code name} (to tell compressed layers from plain tars). */
    byte[] head(String name, int n) throws IOException {
        TarIndex.Entry e = entry(name);
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(n, e.size()));
        TarIndex.readFully(ch, b, e.offset());
        return b.array();
    }

    OciStore store() {
        return store;
    }

    static ObjectNode object() {
        return Json.MAPPER.createObjectNode();
    }

    static JsonNode tree(byte[] bytes) throws IOException {
        return Json.MAPPER.readTree(bytes);
    }
}
