package dev.jpull.containerd.internal;

import dev.jpull.containerd.ContainerdRefusedException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the unpack and the image listing read from an image config or manifest: the config's
 * {@code rootfs.diff_ids} and platform, a manifest's config and layer sizes. Everything is checked before use:
 * each diff ID must be a well-formed digest, since it names snapshots.
 */
final class ImageConfigs {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128}");

    private ImageConfigs() {
    }

    static List<String> diffIds(byte[] config, String digest) {
        JsonNode ids = tree(config, digest).path("rootfs").path("diff_ids");
        if (!ids.isArray()) {
            throw new ContainerdRefusedException("image config " + digest + " has no rootfs.diff_ids: cannot unpack it");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode id : ids) {
            if (!id.isTextual() || !DIGEST.matcher(id.asText()).matches()) {
                throw new ContainerdRefusedException("image config " + digest + " lists a malformed diff_id");
            }
            out.add(id.asText());
        }
        return out;
    }

    /** {@code os/arch[/variant]} of a config, null when it does not say. */
    static String platform(byte[] config, String digest) {
        JsonNode n = tree(config, digest);
        String os = n.path("os").asText("");
        String arch = n.path("architecture").asText("");
        String variant = n.path("variant").asText("");
        return os.isEmpty() || arch.isEmpty() ? null : os + "/" + arch + (variant.isEmpty() ? "" : "/" + variant);
    }

    static JsonNode tree(byte[] json, String digest) {
        try {
            JsonNode n = JSON.readTree(json);
            if (n == null || !n.isObject()) {
                throw new ContainerdRefusedException(digest + " is not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new ContainerdRefusedException(digest + " is not valid JSON");
        }
    }
}
