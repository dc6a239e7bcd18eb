package dev.jpull.internal.serve;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one byte range of a {@code Range: bytes=FIRST-[LAST]} request header, as containerd sends it to resume a
 * blob; other forms (several ranges, suffix ranges) are ignored and the whole blob is sent, as RFC 9110 allows.
 *
 * @param first the first byte sent
 * @param end   one past the last byte sent
 */
record ByteRange(long first, long end) {
    private static final Pattern ONE = Pattern.compile("bytes=(\\d{1,19})-(\\d{0,19})");

    /** Thrown for a range that starts at or past the end of the blob (416). */
    static final class Unsatisfiable extends Exception {
        Unsatisfiable() {
            super(null, null, false, false);
        }
    }

    /** The range {@code header} asks for in a blob of {@code size} bytes; null for the whole blob. */
    static ByteRange of(String header, long size) throws Unsatisfiable {
        if (header == null) {
            return null;
        }
        Matcher m = ONE.matcher(header.trim());
        if (!m.matches()) {
            return null;
        }
        long first;
        long last;
        try {
            first = Long.parseLong(m.group(1));
            last = m.group(2).isEmpty() ? size - 1 : Long.parseLong(m.group(2));
        } catch (NumberFormatException e) {
            return null;
        }
        if (first >= size) {
            throw new Unsatisfiable();
        }
        if (last < first) {
            return null;
        }
        return new ByteRange(first, Math.min(last, size - 1) + 1);
    }

    String contentRange(long size) {
        return "bytes " + first + "-" + (end - 1) + "/" + size;
    }
}
