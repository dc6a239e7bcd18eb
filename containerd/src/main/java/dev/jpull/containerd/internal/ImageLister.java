package dev.jpull.containerd.internal;

import dev.jpull.ImageReference;
import dev.jpull.ImageSummary;
import dev.jpull.ReferenceException;
import dev.jpull.containerd.internal.api.images.Image;
import dev.jpull.containerd.internal.api.images.ListImagesRequest;
import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The namespace's images as {@code jpull images} shows them: one row per name that is a reference (the image-ID
 * names {@code sha256:<id>} that CRI adds are IDs, shown in the ID column), with the target digest, and, read
 * from the content store when it holds them, the image ID, size and platform of the manifest for this machine's
 * platform. Reads are bounded; an image whose content is missing or malformed still gets its row.
 */
final class ImageLister {
    private final Connection connection;
    private final ContentStore content;

    ImageLister(Connection connection, ContentStore content) {
        this.connection = connection;
        this.content = content;
    }

    List<ImageSummary> list() {
        List<Image> images;
        try {
            images = connection.images().list(ListImagesRequest.getDefaultInstance()).getImagesList();
        } catch (StatusRuntimeException e) {
            throw Errors.failed(connection, "listing images", e);
        }
        List<ImageSummary> out = new ArrayList<>();
        for (Image image : images) {
            if (!isReference(image.getName())) {
                continue;
            }
            out.add(summary(image));
        }
        out.sort(Comparator.comparing(ImageSummary::reference));
        return out;
    }

    static boolean isReference(String name) {
        if (name.startsWith("sha256:")) {
            return false;
        }
        try {
            ImageReference.parse(name);
            return true;
        } catch (ReferenceException e) {
            return false;
        }
    }

    ImageSummary summary(Image image) {
        String target = image.getTarget().getDigest();
        try {
            Optional<String> manifest = manifestFor(image.getTarget().getMediaType(), target);
            if (manifest.isEmpty()) {
                return new ImageSummary(image.getName(), target, null, 0, null);
            }
            Optional<byte[]> bytes = content.read(manifest.get(), ContentStore.MAX_READ);
            if (bytes.isEmpty()) {
                return new ImageSummary(image.getName(), target, null, 0, null);
            }
            JsonNode m = ImageConfigs.tree(bytes.get(), manifest.get());
            String config = m.path("config").path("digest").asText(null);
            long size = m.path("config").path("size").asLong(0);
            for (JsonNode layer : m.path("layers")) {
                size += layer.path("size").asLong(0);
            }
            String platform = config == null ? null : content.read(config, ContentStore.MAX_READ)
                    .map(c -> ImageConfigs.platform(c, config)).orElse(null);
            return new ImageSummary(image.getName(), target, config, size, platform);
        } catch (RuntimeException unreadable) {
            return new ImageSummary(image.getName(), target, null, 0, null);
        }
    }

    private Optional<String> manifestFor(String mediaType, String digest) {
        if (MediaTypes.isManifest(mediaType)) {
            return Optional.of(digest);
        }
        if (!MediaTypes.isIndex(mediaType)) {
            return Optional.empty();
        }
        Optional<byte[]> index = content.read(digest, ContentStore.MAX_READ);
        if (index.isEmpty()) {
            return Optional.empty();
        }
        String arch = hostArchitecture();
        for (JsonNode entry : ImageConfigs.tree(index.get(), digest).path("manifests")) {
            JsonNode p = entry.path("platform");
            if ("linux".equals(p.path("os").asText()) && arch.equals(p.path("architecture").asText())
                    && content.info(entry.path("digest").asText("")).isPresent()) {
                return Optional.of(entry.path("digest").asText());
            }
        }
        return Optional.empty();
    }

    static String hostArchitecture() {
        String a = System.getProperty("os.arch", "");
        return switch (a) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> a;
        };
    }
}
