package dev.jpull.internal.archive;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A minimal POSIX tar writer (ustar headers, with a PAX extended header before an entry whose name does not fit
 * ustar's 100 bytes or whose size does not fit its 11 octal digits). Entries are owned by uid/gid 0 and dated
 * 1970-01-01 so that saving the same images twice gives the same bytes. Content is streamed: a file entry never
 * needs to be in memory.
 *
 * <p>Not thread-safe.
 */
final class TarOutput implements Closeable {
    static final int BLOCK = 512;
    private static final long MAX_OCTAL_SIZE = 077777777777L;
    private static final byte[] ZEROS = new byte[BLOCK];

    private final OutputStream out;
    private long written;
    private int paxCount;

    TarOutput(OutputStream out) {
        this.out = out;
    }

    /** Bytes written so far. */
    long written() {
        return written;
    }

    /** A directory entry ({@code name} ends with {@code /}). */
    void directory(String name) throws IOException {
        header(name.endsWith("/") ? name : name + "/", 0, '5', 0755);
    }

    /** A regular file holding {@code content}. */
    void file(String name, byte[] content) throws IOException {
        header(name, content.length, '0', 0644);
        write(content, 0, content.length);
        pad(content.length);
    }

    /**
     * A regular file of exactly {@code size} bytes copied from {@code in}.
     *
     * @throws EOFException when {@code in} ends before {@code size} bytes
     */
    void file(String name, long size, InputStream in) throws IOException {
        header(name, size, '0', 0644);
        byte[] buf = new byte[64 * 1024];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new EOFException(name + ": ended " + left + " bytes short of " + size);
            }
            write(buf, 0, n);
            left -= n;
        }
        pad(size);
    }

    /** Writes the end-of-archive marker (two zero blocks) and flushes; the stream stays open. */
    void finish() throws IOException {
        write(ZEROS, 0, BLOCK);
        write(ZEROS, 0, BLOCK);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private void header(String name, long size, char type, int mode) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        Map<String, String> pax = new LinkedHashMap<>();
        if (nameBytes.length > 100) {
            pax.put("path", name);
        }
        if (size > MAX_OCTAL_SIZE) {
            pax.put("size", Long.toString(size));
        }
        if (!pax.isEmpty()) {
            byte[] records = paxRecords(pax);
            out.write(block("PaxHeaders.0/" + (++paxCount), records.length, 'x', 0644));
            written += BLOCK;
            write(records, 0, records.length);
            pad(records.length);
        }
        out.write(block(name, size, type, mode));
        written += BLOCK;
    }

    /** One ustar header block; a name or size that does not fit is truncated (a PAX record carries it). */
    private static byte[] block(String name, long size, char type, int mode) {
        byte[] h = new byte[BLOCK];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, h, 0, Math.min(n.length, 100));
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, Math.min(size, MAX_OCTAL_SIZE));
        octal(h, 136, 12, 0);
        h[156] = (byte) type;
        System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
        h[263] = '0';
        h[264] = '0';
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        String chk = String.format("%06o", sum);
        System.arraycopy(chk.getBytes(StandardCharsets.US_ASCII), 0, h, 148, 6);
        h[154] = 0;
        h[155] = ' ';
        return h;
    }

    /** {@code value} as zero-padded octal digits followed by NUL, filling {@code len} bytes at {@code off}. */
    private static void octal(byte[] h, int off, int len, long value) {
        String s = Long.toOctalString(value);
        String padded = "0".repeat(len - 1 - s.length()) + s;
        System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, h, off, len - 1);
        h[off + len - 1] = 0;
    }

    /** PAX records {@code "<len> <key>=<value>\n"}, where len counts the whole record including itself. */
    static byte[] paxRecords(Map<String, String> records) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : records.entrySet()) {
            String body = " " + e.getKey() + "=" + e.getValue() + "\n";
            int bodyLen = body.getBytes(StandardCharsets.UTF_8).length;
            int len = bodyLen + 1;
            while (len != bodyLen + Integer.toString(len).length()) {
                len = bodyLen + Integer.toString(len).length();
            }
            sb.append(len).append(body);
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void pad(long size) throws IOException {
        int rest = (int) (size % BLOCK);
        if (rest != 0) {
            write(ZEROS, 0, BLOCK - rest);
        }
    }

    private void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        written += len;
    }
}
