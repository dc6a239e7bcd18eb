package dev.jpull.internal.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.Digests;
import dev.jpull.internal.oci.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Puts small hand-made images (config + layers + OCI manifest) into a store through its API, for tests. */
public final class StoreImageMaker {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What was stored. */
    public record Made(String reference, Descriptor manifest, String configDigest, long configSize,
                       List<String> layerDigests, long layersSize) {
        /** Every digest of the image: manifest, config, layers. */
        public List<String> blobs() {
            List<String> all = new ArrayList<>(List.of(manifest.digest(), configDigest));
            all.addAll(layerDigests);
            return all;
        }

        public long size() {
            return configSize + layersSize;
        }
    }

    private StoreImageMaker() {
    }

    /** Layer content for {@link #put}: distinct per {@code name}. */
    public static byte[] layer(String name) {
        return ("layer " + name + "\n").repeat(100).getBytes(StandardCharsets.UTF_8);
    }

    /** Stores a linux/amd64 image whose config mentions {@code configKey}, with {@code layers}, tagged {@code ref}. */
    public static Made put(OciStore store, String ref, String configKey, byte[]... layers) {
        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", "amd64");
        config.put("os", "linux");
        config.putObject("config").putArray("Cmd").add(configKey);
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        byte[] configBytes = bytes(config);
        String configDigest = Digests.sha256(configBytes);

        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        ObjectNode c = manifest.putObject("config");
        c.put("mediaType", "application/vnd.oci.image.config.v1+json");
        c.put("digest", configDigest);
        c.put("size", configBytes.length);
        ArrayNode ls = manifest.putArray("layers");
        List<String> layerDigests = new ArrayList<>();
        long layersSize = 0;
        for (byte[] layer : layers) {
            String d = Digests.sha256(layer);
            store.writeBlob(d, layer);
            layerDigests.add(d);
            layersSize += layer.length;
            diffIds.add(d);
            ObjectNode l = ls.addObject();
            l.put("mediaType", "application/vnd.oci.image.layer.v1.tar+gzip");
            l.put("digest", d);
            l.put("size", layer.length);
        }
        store.writeBlob(configDigest, configBytes);
        byte[] manifestBytes = bytes(manifest);
        Descriptor m = Descriptor.of(MediaTypes.OCI_MANIFEST, Digests.sha256(manifestBytes), manifestBytes.length);
        store.writeBlob(m.digest(), manifestBytes);
        store.tag(ref, m);
        return new Made(ref, m, configDigest, configBytes.length, layerDigests, layersSize);
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
