package dev.jpull.internal.archive;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The entries of a tar file and where their data lies, read from the headers alone (data is skipped, so a
 * multi-gigabyte archive is indexed in a moment). Reads ustar and GNU headers, PAX extended headers
 * ({@code path}, {@code linkpath}, {@code size}) and GNU long names, as Go's {@code archive/tar} writes them
 * (skopeo, containerd, docker) and as {@link TarOutput} does. Every header's checksum is checked, so a file that
 * is not a tar is refused at its first block.
 */
final class TarIndex {
    static final int BLOCK = 512;
    /** More entries than any image archive has; bounds the index of a hostile file. */
    static final int MAX_ENTRIES = 1_000_000;
    private static final int MAX_EXTENDED_HEADER = 1 << 20;

    /** @param type {@code '0'} file, {@code '2'} symlink, {@code '1'} hard link, {@code '5'} directory, ... */
    record Entry(String name, char type, long offset, long size, String linkName) {
        boolean regular() {
            return type == '0' || type == '\0' || type == '7';
        }

        boolean link() {
            return type == '1' || type == '2';
        }
    }

    private TarIndex() {
    }

    /** The entries by normalised name ({@code ./a/b} is {@code a/b}; the last of duplicates wins, as tar does). */
    static Map<String, Entry> read(FileChannel ch) throws IOException {
        Map<String, Entry> out = new LinkedHashMap<>();
        long pos = 0;
        long end = ch.size();
        String longName = null;
        String longLink = null;
        Map<String, String> pax = Map.of();
        ByteBuffer header = ByteBuffer.allocate(BLOCK);
        while (true) {
            if (pos + BLOCK > end) {
                if (out.isEmpty()) {
                    throw new IOException("it is not a tar archive (too short)");
                }
                return out; // no end-of-archive marker: what was complete counts, as GNU tar reads it
            }
            readFully(ch, header.clear(), pos);
            byte[] h = header.array();
            if (isZero(h)) {
                return out;
            }
            if (checksum(h) != octal(h, 148, 8)) {
                throw new IOException(out.isEmpty() ? "it is not a tar archive"
                        : "the tar header at byte " + pos + " is corrupt (bad checksum)");
            }
            char type = (char) h[156];
            long size = pax.containsKey("size") ? Long.parseLong(pax.get("size")) : size(h);
            long data = pos + BLOCK;
            if (size < 0 || data + size > end) {
                throw new IOException("the tar entry at byte " + pos + " is cut short (the file is truncated)");
            }
            pos = data + (size + BLOCK - 1) / BLOCK * BLOCK;
            switch (type) {
                case 'x' -> pax = pax(ch, data, size);
                case 'g' -> { } // global PAX header: nothing jpull needs
                case 'L' -> longName = string(ch, data, size);
                case 'K' -> longLink = string(ch, data, size);
                default -> {
                    String name = pax.getOrDefault("path", longName != null ? longName : name(h));
                    String link = pax.getOrDefault("linkpath", longLink != null ? longLink : cstring(h, 157, 100));
                    Entry e = new Entry(normalise(name), type, data, size, link);
                    out.remove(e.name());
                    out.put(e.name(), e);
                    if (out.size() > MAX_ENTRIES) {
                        throw new IOException("it has more than " + MAX_ENTRIES + " entries");
                    }
                    longName = null;
                    longLink = null;
                    pax = Map.of();
                }
            }
        }
    }

    /** {@code a/./b//c/} is {@code a/b/c}; a leading {@code ./} or {@code /} goes. */
    static String normalise(String name) {
        StringBuilder sb = new StringBuilder();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (!sb.isEmpty()) {
                sb.append('/');
            }
            sb.append(part);
        }
        return sb.toString();
    }

    private static String name(byte[] h) {
        String name = cstring(h, 0, 100);
        boolean ustar = new String(h, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        String prefix = ustar ? cstring(h, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static long size(byte[] h) {
        if ((h[124] & 0x80) != 0) { // base-256 (GNU), for sizes over 8 GiB
            long v = 0;
            for (int i = 125; i < 136; i++) {
                v = (v << 8) | (h[i] & 0xff);
            }
            return v;
        }
        return octal(h, 124, 12);
    }

    private static long octal(byte[] h, int off, int len) {
        long v = 0;
        boolean seen = false;
        for (int i = off; i < off + len; i++) {
            byte b = h[i];
            if (b >= '0' && b <= '7') {
                v = v * 8 + (b - '0');
                seen = true;
            } else if (b == 0 || b == ' ') {
                if (seen) {
                    break;
                }
            } else {
                return -1;
            }
        }
        return v;
    }

    private static long checksum(byte[] h) {
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += i >= 148 && i < 156 ? ' ' : h[i] & 0xff;
        }
        return sum;
    }

    private static boolean isZero(byte[] h) {
        for (byte b : h) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String cstring(byte[] h, int off, int len) {
        int n = 0;
        while (n < len && h[off + n] != 0) {
            n++;
        }
        return new String(h, off, n, StandardCharsets.UTF_8);
    }

    private static String string(FileChannel ch, long pos, long size) throws IOException {
        if (size > MAX_EXTENDED_HEADER) {
            throw new IOException("a tar extended header is larger than " + MAX_EXTENDED_HEADER + " bytes");
        }
        ByteBuffer b = ByteBuffer.allocate((int) size);
        readFully(ch, b, pos);
        String s = new String(b.array(), StandardCharsets.UTF_8);
        int nul = s.indexOf('\0');
        return nul >= 0 ? s.substring(0, nul) : s;
    }

    /** PAX records {@code "<len> <key>=<value>\n"}. */
    private static Map<String, String> pax(FileChannel ch, long pos, long size) throws IOException {
        String text = string(ch, pos, size);
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        while (i < text.length()) {
            int space = text.indexOf(' ', i);
            if (space < 0) {
                break;
            }
            int len;
            try {
                len = Integer.parseInt(text.substring(i, space));
            } catch (NumberFormatException e) {
                throw new IOException("a PAX header is malformed");
            }
            byte[] rest = text.substring(i).getBytes(StandardCharsets.UTF_8);
            if (len <= space - i || len > rest.length) {
                throw new IOException("a PAX header is malformed");
            }
            String record = new String(rest, 0, len, StandardCharsets.UTF_8);
            int eq = record.indexOf('=');
            if (eq > 0 && record.endsWith("\n")) {
                out.put(record.substring(record.indexOf(' ') + 1, eq), record.substring(eq + 1, record.length() - 1));
            }
            i += record.length();
        }
        return out;
    }

    static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos + b.position());
            if (n < 0) {
                throw new EOFException("the file ended early");
            }
        }
    }
}
