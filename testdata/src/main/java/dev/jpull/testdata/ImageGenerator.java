package dev.jpull.testdata;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Writes OCI image layouts (oci-layout, index.json, blobs/sha256) with deterministic content.
 *
 * <p>Content depends only on the generator's seed, the ref name and the parameters, so the same call
 * gives the same digests every time (on the same JDK's deflater). Several images may be written into
 * one layout; index.json gains one entry per ref name (an existing entry with that name is replaced).
 * All digests are computed over the exact bytes written.
 */
public final class ImageGenerator {

    /** OCI image manifest media type. */
    public static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    /** OCI image index media type. */
    public static final String INDEX_TYPE = "application/vnd.oci.image.index.v1+json";
    /** OCI config media type. */
    public static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    /** OCI gzip layer media type. */
    public static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";
    /** Platforms of {@link #multiPlatform}. */
    public static final List<String> MULTI_PLATFORMS = List.of("linux/amd64", "linux/arm64/v8", "linux/arm/v7");

    private static final String REF_NAME = "org.opencontainers.image.ref.name";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final long seed;

    /** Generator with seed 1. */
    public ImageGenerator() {
        this(1L);
    }

    /** Generator with a seed; different seeds give different content. */
    public ImageGenerator(long seed) {
        this.seed = seed;
    }

    /** Path of a blob ({@code sha256:hex}) inside a layout. */
    public static Path blobPath(Path layoutDir, String digest) {
        return layoutDir.resolve("blobs").resolve("sha256").resolve(digest.substring("sha256:".length()));
    }

    /**
     * A linux/amd64 image with {@code layers} gzip'd tar layers, each holding one file of
     * {@code layerSize} pseudo-random bytes, tagged {@code refName} in the layout.
     */
    public Image singlePlatform(Path layoutDir, String refName, int layers, long layerSize) {
        init(layoutDir);
        Image img = writeImage(layoutDir, refName, "linux/amd64", layers, layerSize, refName);
        addRef(layoutDir, MANIFEST_TYPE, img.manifestDigest(), img.manifestSize(), refName);
        return img;
    }

    /** Where the static busybox comes from (Debian's busybox-static, which .ci/run installs). */
    public static final Path BUSYBOX = Path.of("/bin/busybox");

    /**
     * A linux/amd64 image that runs: its first layer holds a static busybox as {@code /bin/busybox} and
     * {@code /bin/sh}, followed by {@code extraLayers} layers of {@code layerSize} pseudo-random bytes. A container
     * of it runs {@code /bin/sh -c 'echo ok'}. Needs {@link #BUSYBOX}.
     */
    public Image runnable(Path layoutDir, String refName, int extraLayers, long layerSize) {
        init(layoutDir);
        Image img = writeImage(layoutDir, refName, "linux/amd64", extraLayers, layerSize, refName, true);
        addRef(layoutDir, MANIFEST_TYPE, img.manifestDigest(), img.manifestSize(), refName);
        return img;
    }

    /**
     * An OCI index like {@link #multiPlatform} whose linux/amd64 image is {@link #runnable} (busybox and one data
     * layer); the other platforms' images are data only.
     */
    public MultiPlatformImage runnableMultiPlatform(Path layoutDir, String refName) {
        return multiPlatform(layoutDir, refName, true);
    }

    /** An OCI index over linux/amd64, linux/arm64/v8 and linux/arm/v7, each a small distinct image. */
    public MultiPlatformImage multiPlatform(Path layoutDir, String refName) {
        return multiPlatform(layoutDir, refName, false);
    }

    private MultiPlatformImage multiPlatform(Path layoutDir, String refName, boolean runnableAmd64) {
        init(layoutDir);
        List<Image> children = new ArrayList<>();
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", INDEX_TYPE);
        ArrayNode manifests = index.putArray("manifests");
        for (String platform : MULTI_PLATFORMS) {
            boolean runs = runnableAmd64 && platform.equals("linux/amd64");
            Image child = writeImage(layoutDir, null, platform, runs ? 1 : 2, 1024, refName + "@" + platform, runs);
            children.add(child);
            ObjectNode d = descriptor(manifests.addObject(), MANIFEST_TYPE, child.manifestDigest(), child.manifestSize());
            ObjectNode p = d.putObject("platform");
            String[] parts = platform.split("/");
            p.put("architecture", parts[1]);
            p.put("os", parts[0]);
            if (parts.length > 2) {
                p.put("variant", parts[2]);
            }
        }
        byte[] bytes = json(index);
        String digest = writeBlob(layoutDir, bytes);
        addRef(layoutDir, INDEX_TYPE, digest, bytes.length, refName);
        return new MultiPlatformImage(layoutDir, refName, digest, bytes.length, List.copyOf(children));
    }

    private Image writeImage(Path layoutDir, String refName, String platform, int layerCount, long layerSize,
                             String contentKey) {
        return writeImage(layoutDir, refName, platform, layerCount, layerSize, contentKey, false);
    }

    private Image writeImage(Path layoutDir, String refName, String platform, int layerCount, long layerSize,
                             String contentKey, boolean busybox) {
        List<Layer> layers = new ArrayList<>();
        if (busybox) {
            layers.add(writeBusyboxLayer(layoutDir));
        }
        for (int i = 0; i < layerCount; i++) {
            layers.add(writeLayer(layoutDir, new SplittableRandom(mix(contentKey, i)), i, layerSize));
        }
        String[] parts = platform.split("/");
        ObjectNode config = JSON.createObjectNode();
        config.put("created", "1970-01-01T00:00:00Z");
        config.put("architecture", parts[1]);
        config.put("os", parts[0]);
        if (parts.length > 2) {
            config.put("variant", parts[2]);
        }
        ObjectNode cfg = config.putObject("config");
        cfg.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        cfg.putArray("Cmd").add("/bin/sh");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        ArrayNode history = config.putArray("history");
        for (int i = 0; i < layers.size(); i++) {
            diffIds.add(layers.get(i).diffId());
            ObjectNode h = history.addObject();
            h.put("created", "1970-01-01T00:00:00Z");
            h.put("created_by", "jpull-testdata " + contentKey + " layer " + i);
        }
        byte[] configBytes = json(config);
        String configDigest = writeBlob(layoutDir, configBytes);

        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MANIFEST_TYPE);
        descriptor(manifest.putObject("config"), CONFIG_TYPE, configDigest, configBytes.length);
        ArrayNode ls = manifest.putArray("layers");
        for (Layer l : layers) {
            descriptor(ls.addObject(), l.mediaType(), l.digest(), l.size());
        }
        byte[] manifestBytes = json(manifest);
        String manifestDigest = writeBlob(layoutDir, manifestBytes);
        return new Image(layoutDir, refName, platform, manifestDigest, manifestBytes.length, configDigest,
                configBytes.length, List.copyOf(layers));
    }

    private static Layer writeBusyboxLayer(Path layoutDir) {
        byte[] busybox;
        try {
            busybox = Files.readAllBytes(BUSYBOX);
        } catch (IOException e) {
            throw new UncheckedIOException("a runnable test image needs a static busybox at " + BUSYBOX
                    + " (apt-get install busybox-static)", e);
        }
        return writeLayer(layoutDir, out -> TarWriter.writeBusybox(out, busybox));
    }

    private interface TarBody {
        void write(java.io.OutputStream out) throws IOException;
    }

    private static Layer writeLayer(Path layoutDir, SplittableRandom random, int index, long size) {
        return writeLayer(layoutDir, out -> TarWriter.writeSingleFile(out, "data/layer-" + index + ".bin", size,
                random));
    }

    private static Layer writeLayer(Path layoutDir, TarBody body) {
        try {
            Path tmp = Files.createTempFile(layoutDir.resolve("blobs"), "layer-", ".tmp");
            MessageDigest compressed = sha256();
            MessageDigest uncompressed = sha256();
            try (DigestOutputStream c = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)), compressed);
                 GZIPOutputStream gz = new GZIPOutputStream(c, 65536);
                 DigestOutputStream u = new DigestOutputStream(gz, uncompressed)) {
                body.write(u);
            }
            String digest = "sha256:" + HexFormat.of().formatHex(compressed.digest());
            long blobSize = Files.size(tmp);
            Files.move(tmp, blobPath(layoutDir, digest), StandardCopyOption.REPLACE_EXISTING);
            return new Layer(digest, blobSize, "sha256:" + HexFormat.of().formatHex(uncompressed.digest()), LAYER_TYPE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long mix(String key, int index) {
        byte[] h = sha256().digest((seed + "/" + key + "/" + index).getBytes(StandardCharsets.UTF_8));
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (h[i] & 0xff);
        }
        return v;
    }

    private static void init(Path layoutDir) {
        try {
            Files.createDirectories(layoutDir.resolve("blobs").resolve("sha256"));
            Path marker = layoutDir.resolve("oci-layout");
            if (!Files.exists(marker)) {
                Files.writeString(marker, "{\"imageLayoutVersion\":\"1.0.0\"}");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void addRef(Path layoutDir, String mediaType, String digest, long size, String refName) {
        Path indexFile = layoutDir.resolve("index.json");
        try {
            ObjectNode index;
            if (Files.exists(indexFile)) {
                index = (ObjectNode) JSON.readTree(indexFile.toFile());
            } else {
                index = JSON.createObjectNode();
                index.put("schemaVersion", 2);
                index.put("mediaType", INDEX_TYPE);
                index.putArray("manifests");
            }
            ArrayNode manifests = (ArrayNode) index.get("manifests");
            for (int i = manifests.size() - 1; i >= 0; i--) {
                if (refName.equals(manifests.get(i).path("annotations").path(REF_NAME).asText(null))) {
                    manifests.remove(i);
                }
            }
            ObjectNode d = descriptor(manifests.addObject(), mediaType, digest, size);
            d.putObject("annotations").put(REF_NAME, refName);
            Files.write(indexFile, json(index));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode descriptor(ObjectNode d, String mediaType, String digest, long size) {
        d.put("mediaType", mediaType);
        d.put("digest", digest);
        d.put("size", size);
        return d;
    }

    private static String writeBlob(Path layoutDir, byte[] bytes) {
        String digest = "sha256:" + HexFormat.of().formatHex(sha256().digest(bytes));
        try {
            Files.write(blobPath(layoutDir, digest), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return digest;
    }

    private static byte[] json(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Convenience for tests: sha256 digest string of bytes. */
    public static String digestOf(byte[] bytes) {
        return "sha256:" + HexFormat.of().formatHex(sha256().digest(bytes));
    }
}
