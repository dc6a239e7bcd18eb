package dev.jpull.testdata;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Writes minimal deterministic ustar archives (files, a directory, a symlink; mtime 0, root owner). */
final class TarWriter {

    private static final int BLOCK = 512;

    private TarWriter() {
    }

    /** Writes a tar with one file of {@code size} pseudo-random bytes drawn from {@code random}. */
    static void writeSingleFile(OutputStream out, String name, long size, SplittableRandom random) throws IOException {
        out.write(header(name, size));
        byte[] buf = new byte[8192];
        long left = size;
        while (left > 0) {
            int n = (int) Math.min(buf.length, left);
            for (int i = 0; i < n; i++) {
                buf[i] = (byte) random.nextInt(256);
            }
            out.write(buf, 0, n);
            left -= n;
        }
        int pad = (int) ((BLOCK - size % BLOCK) % BLOCK);
        out.write(new byte[pad]);
        out.write(new byte[2 * BLOCK]);
    }

    /**
     * Writes a tar holding {@code bin/busybox} (the bytes of {@code busybox}, mode 0755) and the symlink
     * {@code bin/sh -> busybox}: a root file system in which {@code /bin/sh -c 'echo ok'} runs.
     */
    static void writeBusybox(OutputStream out, byte[] busybox) throws IOException {
        out.write(header("bin/", 0, '5', 0755, ""));
        out.write(header("bin/busybox", busybox.length, '0', 0755, ""));
        out.write(busybox);
        out.write(new byte[(int) ((BLOCK - busybox.length % BLOCK) % BLOCK)]);
        out.write(header("bin/sh", 0, '2', 0777, "busybox"));
        out.write(new byte[2 * BLOCK]);
    }

    private static byte[] header(String name, long size) {
        return header(name, size, '0', 0644, "");
    }

    private static byte[] header(String name, long size, char type, int mode, String link) {
        byte[] h = new byte[BLOCK];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length > 100) {
            throw new IllegalArgumentException("tar name too long: " + name);
        }
        System.arraycopy(n, 0, h, 0, n.length);
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, 0);
        h[156] = (byte) type;
        put(h, 157, link);
        put(h, 257, "ustar\0");
        put(h, 263, "00");
        put(h, 265, "root");
        put(h, 297, "root");
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        String chk = String.format("%06o", sum);
        put(h, 148, chk);
        h[154] = 0;
        h[155] = ' ';
        return h;
    }

    private static void octal(byte[] h, int off, int len, long value) {
        String s = String.format("%0" + (len - 1) + "o", value);
        if (s.length() > len - 1) {
            throw new IllegalArgumentException("value too large for tar field: " + value);
        }
        put(h, off, s);
        h[off + len - 1] = 0;
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }
}
