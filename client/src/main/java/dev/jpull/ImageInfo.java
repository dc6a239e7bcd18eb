package dev.jpull;

import java.util.List;
import java.util.Map;

/**
 * An image's manifest and config as {@code skopeo inspect} summarises them. The values are the server's (or the
 * store's) as they are: escape them ({@link Printable#escape}) before printing.
 *
 * @param configDigest  the config blob's digest (the image ID crictl shows)
 * @param created       the config's {@code created} as written (RFC 3339), or null
 * @param author        the config's {@code author}, or null
 * @param dockerVersion the config's {@code docker_version}, or null
 * @param architecture  the config's {@code architecture}
 * @param os            the config's {@code os}
 * @param variant       the config's {@code variant}, or null
 * @param env           {@code config.Env} (empty when none)
 * @param entrypoint    {@code config.Entrypoint} (empty when none)
 * @param cmd           {@code config.Cmd} (empty when none)
 * @param workingDir    {@code config.WorkingDir}, or null
 * @param user          {@code config.User}, or null
 * @param labels        {@code config.Labels} (empty when none)
 * @param layers        the manifest's layers in order
 */
public record ImageInfo(String configDigest, String created, String author, String dockerVersion,
                        String architecture, String os, String variant, List<String> env, List<String> entrypoint,
                        List<String> cmd, String workingDir, String user, Map<String, String> labels,
                        List<ImageLayer> layers) {
    public ImageInfo {
        env = List.copyOf(env);
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        labels = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(labels)); // sorted, as skopeo
        layers = List.copyOf(layers);
    }

    /** {@code os/architecture[/variant]}. */
    public String platform() {
        return os + "/" + architecture + (variant == null || variant.isEmpty() ? "" : "/" + variant);
    }

    /** Sum of the layers' sizes. */
    public long layersSize() {
        return layers.stream().mapToLong(ImageLayer::size).sum();
    }
}
