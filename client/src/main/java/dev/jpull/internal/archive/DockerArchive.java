package dev.jpull.internal.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.Json;
import dev.jpull.internal.oci.MediaTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Docker half of {@link ArchiveLoader}: {@code manifest.json}, a list of {@code {Config, RepoTags, Layers}} with
 * paths into the archive. Each image gets an OCI image manifest written by jpull (OCI rather than Docker's schema 2,
 * which skopeo's {@code oci:} transport does not read from a layout): the config file as it is, each layer file as
 * it is, typed by its first bytes (gzip, zstd, else a plain tar), in the order of {@code Layers}.
 */
final class DockerArchive {
    static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    static final String LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
    static final String LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    static final String LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";

    private final ArchiveLoader archive;

    DockerArchive(ArchiveLoader archive) {
        this.archive = archive;
    }

    List<ArchiveLoader.Loaded> load() throws IOException {
        JsonNode list;
        try {
            list = ArchiveLoader.tree(archive.read("manifest.json"));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw archive.problem("manifest.json is not JSON");
        }
        if (!list.isArray()) {
            throw archive.problem("manifest.json is not a list of images");
        }
        List<ArchiveLoader.Loaded> out = new ArrayList<>();
        for (JsonNode image : list) {
            Descriptor manifest = importImage(image);
            List<String> tags = new ArrayList<>();
            image.path("RepoTags").forEach(t -> tags.add(ArchiveLoader.reference(t.asText())));
            if (tags.isEmpty()) {
                archive.store().addUnnamed(manifest);
                out.add(new ArchiveLoader.Loaded(null, manifest));
            }
            for (String tag : tags) {
                archive.store().tag(tag, manifest);
                out.add(new ArchiveLoader.Loaded(tag, manifest));
            }
        }
        return out;
    }

    /** Stores the image's config and layers and the manifest jpull writes for them; returns the manifest. */
    private Descriptor importImage(JsonNode image) throws IOException {
        String configPath = image.path("Config").asText("");
        if (configPath.isEmpty() || !image.path("Layers").isArray()) {
            throw archive.problem("an element of manifest.json has no Config or no Layers");
        }
        byte[] config = archive.read(configPath);
        String configDigest = Digests.sha256(config);
        archive.store().writeBlob(configDigest, config);
        JsonNode diffIds = ArchiveLoader.tree(config).path("rootfs").path("diff_ids");

        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        m.putObject("config").put("mediaType", CONFIG_TYPE).put("size", config.length).put("digest", configDigest);
        ArrayNode layers = m.putArray("layers");
        int i = 0;
        for (JsonNode l : image.path("Layers")) {
            String path = l.asText();
            String type = layerType(archive.head(path, 4));
            long size = archive.entry(path).size();
            String digest = archive.importBlob(path, null, size);
            // an uncompressed layer's digest is its diff id: the config says which it must be
            if (type.equals(LAYER_TAR) && diffIds.has(i) && !diffIds.get(i).asText().equals(digest)) {
                throw archive.problem(path + " is corrupt: it hashes to " + digest + ", but the config's layer "
                        + i + " is " + diffIds.get(i).asText());
            }
            layers.addObject().put("mediaType", type).put("size", size).put("digest", digest);
            i++;
        }
        byte[] bytes = Json.MAPPER.writeValueAsBytes(m);
        Descriptor d = Descriptor.of(MediaTypes.OCI_MANIFEST, Digests.sha256(bytes), bytes.length);
        archive.store().writeBlob(d.digest(), bytes);
        return d;
    }

    static String layerType(byte[] head) {
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return LAYER_GZIP;
        }
        if (head.length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
                && (head[3] & 0xff) == 0xfd) {
            return LAYER_ZSTD;
        }
        return LAYER_TAR;
    }
}
