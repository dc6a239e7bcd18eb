package dev.jpull.cli.output;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpull.DigestResult;
import dev.jpull.Printable;
import dev.jpull.TagList;
import dev.jpull.cli.option.OutputFormat;

/** What {@code jpull digest} and {@code jpull tags} print on stdout. */
public final class QueryRenderer {
    private QueryRenderer() {
    }

    /**
     * Text: the digest alone on one line (for {@code $(jpull digest IMAGE)}); JSON: {@code reference},
     * {@code digest}, {@code mediaType}, {@code endpoint}, {@code attempts} (as {@code pull -o json}).
     */
    public static String digest(DigestResult result, OutputFormat format) {
        if (format != OutputFormat.JSON) {
            return Printable.escape(result.digest()) + System.lineSeparator();
        }
        ObjectNode root = Json.object();
        root.put("reference", result.reference());
        root.put("digest", result.digest());
        root.put("mediaType", result.mediaType());
        root.put("endpoint", result.endpoint());
        PullRenderer.attempts(root, result.attempts());
        return Json.write(root);
    }

    /**
     * The one JSON object of a failed {@code digest}, {@code inspect} or {@code tags} with {@code -o json}, as a failed
     * pull's: {@code reference}, {@code error} (the line jpull prints on stderr, without {@code jpull: }) and every
     * {@code attempt}.
     */
    public static String failure(String reference, String error, java.util.List<dev.jpull.Attempt> attempts) {
        ObjectNode root = Json.object();
        root.put("reference", reference);
        root.put("error", error);
        PullRenderer.attempts(root, attempts);
        return Json.write(root);
    }

    /**
     * Text: one tag per line, in the registry's order; JSON: {@code repository}, {@code tags} (a list),
     * {@code endpoint}, {@code attempts}.
     */
    public static String tags(TagList result, OutputFormat format) {
        if (format != OutputFormat.JSON) {
            StringBuilder sb = new StringBuilder();
            result.tags().forEach(t -> sb.append(Printable.escape(t)).append(System.lineSeparator()));
            return sb.toString();
        }
        ObjectNode root = Json.object();
        root.put("repository", result.repository());
        ArrayNode tags = root.putArray("tags");
        result.tags().forEach(tags::add);
        root.put("endpoint", result.endpoint());
        PullRenderer.attempts(root, result.attempts());
        return Json.write(root);
    }
}
