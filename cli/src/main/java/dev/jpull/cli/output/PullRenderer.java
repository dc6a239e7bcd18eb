package dev.jpull.cli.output;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpull.Attempt;
import dev.jpull.BlobResult;
import dev.jpull.PlatformImage;
import dev.jpull.PullResult;
import dev.jpull.cli.option.OutputFormat;
import dev.jpull.Printable;
import java.util.List;
import java.util.Map;

/** What {@code jpull pull} prints on stdout (docs/interface.md, "pull: what it prints"). */
public final class PullRenderer {
    private PullRenderer() {
    }

    /** {@code into}: where the image went ({@code oci:STORE} or {@code containerd://SOCKET?namespace=NS}). */
    public static String render(PullResult result, String into, OutputFormat format) {
        return render(result, into, format, Map.of());
    }

    /** As {@link #render(PullResult, String, OutputFormat)}; {@code resumedAt}: digest → bytes an earlier run kept. */
    public static String render(PullResult result, String into, OutputFormat format, Map<String, Long> resumedAt) {
        return format == OutputFormat.JSON ? json(result, into, resumedAt) : text(result);
    }

    /**
     * crictl's two lines: {@code Digest: ...} and {@code Image is up to date for ...}; a multi-platform pull first
     * names each platform pulled ({@code Platform: linux/arm64/v8 sha256:<manifest>}) and, when the store names an
     * index of just those, that index ({@code Index: sha256:... (N of the platforms of sha256:<digest>)}).
     */
    static String text(PullResult result) {
        String nl = System.lineSeparator();
        StringBuilder sb = new StringBuilder();
        if (result.multiPlatform()) {
            for (PlatformImage p : result.platforms()) {
                sb.append("Platform: ").append(p.platform() == null ? "unknown" : Printable.escape(p.platform()))
                        .append(' ').append(Printable.escape(p.manifestDigest())).append(nl);
            }
            if (!result.indexDigest().equals(result.digest())) {
                sb.append("Index: ").append(Printable.escape(result.indexDigest())).append(" (")
                        .append(result.platforms().size()).append(" of the platforms of ")
                        .append(Printable.escape(result.digest())).append(')').append(nl);
            }
        }
        return sb + "Digest: " + Printable.escape(result.digest()) + nl + "Image is up to date for "
                + Printable.escape(result.imageId()) + nl;
    }

    /** One JSON object with the fields in the order of docs/interface.md. */
    static String json(PullResult result, String into) {
        return json(result, into, Map.of());
    }

    /** {@code resumedAt} of a blob: the bytes its download continued from (0: it started at byte 0, or was cached). */
    static String json(PullResult result, String into, Map<String, Long> resumedAt) {
        ObjectNode root = Json.object();
        root.put("reference", result.reference());
        root.put("digest", result.digest());
        root.put("manifestDigest", result.manifestDigest());
        root.put("imageId", result.imageId());
        root.put("platform", result.platform());
        root.put("endpoint", result.endpoint());
        ArrayNode blobs = root.putArray("blobs");
        for (BlobResult b : result.blobs()) {
            ObjectNode n = blobs.addObject();
            n.put("digest", b.digest());
            n.put("size", b.size());
            n.put("mediaType", b.mediaType());
            n.put("endpoint", b.cached() ? null : b.endpoint());
            n.put("cached", b.cached());
            n.put("resumedAt", b.cached() ? 0 : resumedAt.getOrDefault(b.digest(), 0L));
        }
        attempts(root, result.attempts());
        root.put("bytesDownloaded", result.bytesDownloaded());
        root.put("durationMs", result.durationMs());
        root.put("destination", into);
        if (result.multiPlatform()) {
            platforms(root, result);
        }
        return Json.write(root);
    }

    /**
     * Of a multi-platform pull: {@code indexDigest} (what the store names) and {@code platforms}, one
     * {@code {platform, manifestDigest, imageId, blobs: [digest...]}} per image pulled.
     */
    private static void platforms(ObjectNode root, PullResult result) {
        root.put("indexDigest", result.indexDigest());
        ArrayNode platforms = root.putArray("platforms");
        for (PlatformImage p : result.platforms()) {
            ObjectNode n = platforms.addObject();
            n.put("platform", p.platform());
            n.put("manifestDigest", p.manifestDigest());
            n.put("imageId", p.imageId());
            ArrayNode blobs = n.putArray("blobs");
            p.blobs().forEach(b -> blobs.add(b.digest()));
        }
    }

    /**
     * The one JSON object of a failed pull: {@code reference}, {@code error} (the message jpull prints on stderr,
     * without {@code jpull: }), every {@code attempt} of the pull, {@code durationMs} and {@code destination}.
     */
    public static String failure(String reference, String error, List<Attempt> attempts, long durationMs,
                                 String into) {
        ObjectNode root = Json.object();
        root.put("reference", reference);
        root.put("error", error);
        attempts(root, attempts);
        root.put("durationMs", durationMs);
        root.put("destination", into);
        return Json.write(root);
    }

    /** {@code attempts}: the shape of {@code pull -o json} (also digest, inspect and tags). */
    static void attempts(ObjectNode root, List<Attempt> list) {
        ArrayNode attempts = root.putArray("attempts");
        for (Attempt a : list) {
            ObjectNode n = attempts.addObject();
            n.put("endpoint", a.endpoint());
            n.put("target", a.target().label());
            n.put("outcome", a.outcome().label());
            n.put("status", a.status());
            n.put("error", a.error());
            n.put("durationMs", a.durationMs());
        }
    }
}
