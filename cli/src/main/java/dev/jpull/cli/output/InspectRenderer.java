package dev.jpull.cli.output;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpull.ImageInfo;
import dev.jpull.ImageLayer;
import dev.jpull.InspectResult;
import dev.jpull.Printable;
import dev.jpull.cli.option.OutputFormat;
import java.util.List;
import java.util.Map;

/**
 * What {@code jpull inspect} prints on stdout: a summary for people, or {@code skopeo inspect}'s JSON (its field
 * names: {@code Name}, {@code Digest}, {@code Created}, {@code DockerVersion}, {@code Labels},
 * {@code Architecture}, {@code Variant}, {@code Os}, {@code Layers}, {@code LayersData}, {@code Env}) with jpull's
 * additions ({@code MediaType}, {@code Platforms}, {@code ManifestDigest}, {@code Config}, {@code Entrypoint},
 * {@code Cmd}, {@code WorkingDir}, {@code User}, {@code Author}, and as in {@code pull -o json} {@code endpoint}
 * and {@code attempts}).
 */
public final class InspectRenderer {
    private static final String NL = System.lineSeparator();

    private InspectRenderer() {
    }

    public static String render(InspectResult r, OutputFormat format) {
        return format == OutputFormat.JSON ? json(r) : text(r);
    }

    static String json(InspectResult r) {
        ImageInfo i = r.image();
        ObjectNode root = Json.object();
        root.put("Name", r.name());
        root.put("Digest", r.digest());
        root.put("MediaType", r.mediaType());
        if (r.isIndex()) {
            ArrayNode platforms = root.putArray("Platforms");
            r.platforms().forEach(platforms::add);
        }
        root.put("ManifestDigest", r.manifestDigest());
        if (i != null) {
            root.put("Config", i.configDigest());
            root.put("Created", i.created());
            root.put("DockerVersion", i.dockerVersion() == null ? "" : i.dockerVersion());
            if (i.labels().isEmpty()) {
                root.putNull("Labels"); // as skopeo: null, not {}
            } else {
                ObjectNode labels = root.putObject("Labels");
                i.labels().forEach(labels::put);
            }
            root.put("Architecture", i.architecture());
            if (i.variant() != null && !i.variant().isEmpty()) {
                root.put("Variant", i.variant());
            }
            root.put("Os", i.os());
            ArrayNode layers = root.putArray("Layers");
            i.layers().forEach(l -> layers.add(l.digest()));
            ArrayNode data = root.putArray("LayersData");
            for (ImageLayer l : i.layers()) {
                ObjectNode n = data.addObject();
                n.put("MIMEType", l.mediaType());
                n.put("Digest", l.digest());
                n.put("Size", l.size());
                if (l.annotations().isEmpty()) {
                    n.putNull("Annotations");
                } else {
                    ObjectNode a = n.putObject("Annotations");
                    l.annotations().forEach(a::put);
                }
            }
            if (i.env().isEmpty()) {
                root.putNull("Env");
            } else {
                strings(root, "Env", i.env());
            }
            strings(root, "Entrypoint", i.entrypoint());
            strings(root, "Cmd", i.cmd());
            root.put("WorkingDir", i.workingDir());
            root.put("User", i.user());
            root.put("Author", i.author());
        }
        root.put("endpoint", r.endpoint());
        PullRenderer.attempts(root, r.attempts());
        return Json.write(root);
    }

    private static void strings(ObjectNode root, String name, List<String> values) {
        ArrayNode a = root.putArray(name);
        values.forEach(a::add);
    }

    static String text(InspectResult r) {
        StringBuilder sb = new StringBuilder();
        line(sb, "Name", r.name());
        line(sb, "Digest", r.digest());
        line(sb, "Media type", r.mediaType());
        if (r.isIndex()) {
            line(sb, "Platforms", String.join(", ", r.platforms()));
            if (r.manifestDigest() != null) {
                line(sb, "Image", r.manifestDigest() + (r.image() != null ? " (" + r.image().platform() + ")" : ""));
            }
        }
        ImageInfo i = r.image();
        if (i != null) {
            line(sb, "Config", i.configDigest());
            line(sb, "Created", i.created());
            line(sb, "Platform", i.platform());
            if (i.author() != null) {
                line(sb, "Author", i.author());
            }
            sb.append("Layers:").append(NL);
            for (ImageLayer l : i.layers()) {
                sb.append("  ").append(esc(l.digest())).append("  ").append(Sizes.human(l.size())).append("  ")
                        .append(esc(l.mediaType())).append(NL);
            }
            line(sb, "Size", Sizes.human(i.layersSize()) + " in " + i.layers().size() + " layer"
                    + (i.layers().size() == 1 ? "" : "s"));
            list(sb, "Env", i.env());
            line(sb, "Entrypoint", command(i.entrypoint()));
            line(sb, "Cmd", command(i.cmd()));
            if (i.workingDir() != null && !i.workingDir().isEmpty()) {
                line(sb, "WorkingDir", i.workingDir());
            }
            if (i.user() != null && !i.user().isEmpty()) {
                line(sb, "User", i.user());
            }
            sb.append("Labels:").append(i.labels().isEmpty() ? " none" : "").append(NL);
            for (Map.Entry<String, String> e : i.labels().entrySet()) {
                sb.append("  ").append(esc(e.getKey())).append('=').append(esc(e.getValue())).append(NL);
            }
        }
        if (r.endpoint() != null) {
            line(sb, "Endpoint", r.endpoint());
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String label, String value) {
        sb.append(label).append(':').append(" ".repeat(Math.max(1, 12 - label.length())))
                .append(value == null ? "-" : esc(value)).append(NL);
    }

    private static void list(StringBuilder sb, String label, List<String> values) {
        sb.append(label).append(':').append(values.isEmpty() ? " none" : "").append(NL);
        values.forEach(v -> sb.append("  ").append(esc(v)).append(NL));
    }

    /** {@code ["/bin/sh", "-c"]} as JSON, as docker inspect shows it; {@code -} when unset. */
    private static String command(List<String> words) {
        if (words.isEmpty()) {
            return null;
        }
        ArrayNode a = Json.object().arrayNode();
        words.forEach(a::add);
        return a.toString();
    }

    private static String esc(String s) {
        return Printable.escape(s);
    }
}
