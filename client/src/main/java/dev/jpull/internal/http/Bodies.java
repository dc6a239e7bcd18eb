package dev.jpull.internal.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Bounded body reads, for every body the transport reads into memory (manifests, tokens, error bodies). */
public final class Bodies {
    /** The most of an error body (or a token response) that is read. */
    public static final int MAX_SMALL_BODY = 64 * 1024;

    private Bodies() {
    }

    /** Reads at most {@code limit} bytes; the rest is ignored. */
    public static byte[] readAtMost(InputStream in, int limit) throws IOException {
        return in.readNBytes(limit);
    }

    /**
     * Reads the whole stream, failing when it is longer than {@code limit}.
     *
     * @throws TooLargeException when more than {@code limit} bytes arrive
     */
    public static byte[] readLimited(InputStream in, int limit) throws IOException, TooLargeException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 64 * 1024));
        byte[] buf = new byte[16 * 1024];
        int total = 0;
        int n;
        while ((n = in.read(buf)) != -1) {
            total += n;
            if (total > limit) {
                throw new TooLargeException(limit);
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** A body exceeded its limit. */
    public static final class TooLargeException extends Exception {
        TooLargeException(int limit) {
            super("body larger than " + limit + " bytes");
        }
    }
}
