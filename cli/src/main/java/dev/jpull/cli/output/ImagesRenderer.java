package dev.jpull.cli.output;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpull.ImageSummary;
import dev.jpull.IngestUsage;
import dev.jpull.cli.option.OutputFormat;
import dev.jpull.Printable;
import java.util.ArrayList;
import java.util.List;

/** Output of {@code jpull images}: an aligned table, or JSON. */
public final class ImagesRenderer {
    /** Hex digits shown of a digest in the table, as crictl does. */
    static final int SHORT = 13;

    private ImagesRenderer() {
    }

    public static String render(List<ImageSummary> images, OutputFormat format, boolean noTrunc) {
        return render(images, IngestUsage.NONE, format, noTrunc);
    }

    /** The table or JSON; {@code ingest} only shows in JSON (the table's caller prints {@link #ingestLine}). */
    public static String render(List<ImageSummary> images, IngestUsage ingest, OutputFormat format, boolean noTrunc) {
        return format == OutputFormat.JSON ? json(images, ingest) : table(images, noTrunc);
    }

    /** {@code ingest/ holds 3.148MB in 2 partial downloads (...)}. */
    public static String ingestLine(IngestUsage ingest) {
        return "ingest/ holds " + Sizes.human(ingest.bytes()) + " in " + ingest.files()
                + (ingest.files() == 1 ? " partial download" : " partial downloads")
                + " kept for resuming; 'jpull prune' removes stale ones";
    }

    /**
     * {@code {"images":[{reference, manifestDigest, imageId, platform, size}], "ingest":{files, bytes}}}; the
     * reference is null for an entry without a name.
     */
    static String json(List<ImageSummary> images, IngestUsage ingest) {
        ObjectNode root = Json.object();
        ArrayNode list = root.putArray("images");
        for (ImageSummary i : images) {
            ObjectNode n = list.addObject();
            n.put("reference", i.reference());
            n.put("manifestDigest", i.manifestDigest());
            n.put("imageId", i.imageId());
            n.put("platform", i.platform());
            n.put("size", i.size());
        }
        root.putObject("ingest").put("files", ingest.files()).put("bytes", ingest.bytes());
        return Json.write(root);
    }

    /** The table; text from the store (references, config fields) is escaped ({@link Printable}). */
    static String table(List<ImageSummary> images, boolean noTrunc) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"REFERENCE", "DIGEST", "IMAGE ID", "PLATFORM", "SIZE"});
        for (ImageSummary i : images) {
            rows.add(new String[] {i.reference() == null ? "<none>" : Printable.escape(i.reference()),
                Printable.escape(digest(i.manifestDigest(), noTrunc)),
                i.imageId() == null ? "<none>" : Printable.escape(digest(i.imageId(), noTrunc)),
                i.platform() == null ? "<none>" : Printable.escape(i.platform()),
                i.imageId() == null ? "-" : Sizes.human(i.size())});
        }
        int[] widths = new int[5];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                line.append(row[c]);
                if (c < row.length - 1) {
                    line.append(" ".repeat(widths[c] - row[c].length() + 3));
                }
            }
            sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        return sb.toString();
    }

    /** The hex part, cut to {@value #SHORT} digits unless {@code full}. */
    static String digest(String digest, boolean full) {
        if (full) {
            return digest;
        }
        String hex = digest.substring(digest.indexOf(':') + 1);
        return hex.substring(0, Math.min(SHORT, hex.length()));
    }
}
