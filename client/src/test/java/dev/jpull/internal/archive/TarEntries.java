package dev.jpull.internal.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test-side tar reader: entry name to content, in archive order (PAX {@code path} honoured, directories kept). */
final class TarEntries {
    private TarEntries() {
    }

    static Map<String, byte[]> read(Path tar) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(tar)) {
            String paxPath = null;
            while (true) {
                byte[] h = in.readNBytes(512);
                if (h.length < 512 || isZero(h)) {
                    return entries;
                }
                String name = cString(h, 0, 100);
                long size = Long.parseLong(cString(h, 124, 12).trim(), 8);
                char type = (char) h[156];
                byte[] content = in.readNBytes((int) size);
                in.readNBytes((int) ((512 - size % 512) % 512));
                if (type == 'x') {
                    for (String rec : new String(content, StandardCharsets.UTF_8).split("\n")) {
                        String kv = rec.substring(rec.indexOf(' ') + 1);
                        if (kv.startsWith("path=")) {
                            paxPath = kv.substring(5);
                        }
                    }
                    continue;
                }
                entries.put(paxPath != null ? paxPath : name, content);
                paxPath = null;
            }
        }
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String cString(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }
}
